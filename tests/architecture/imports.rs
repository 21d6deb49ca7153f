//! From source text to a file-level import graph: which module file names which.
//!
//! The module tree is followed from the crate roots (`lib.rs`, `main.rs`) through their `mod`
//! declarations, so a file declared under `#[cfg(test)]` (and everything below it) is left out,
//! as are `#[cfg(test)]` items and inline modules. A path names a module file when it starts at
//! `crate`, `self`, `super`, the library's name (from the binary), a child module of the current
//! module, or a name a `use` bound to a module; it then names the longest prefix of it that is a
//! module file. `mod x;` itself is not an edge.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;

use super::modtree::Tree;
pub use super::modtree::{Crate, Sources};
use super::names::{Aliases, Names};

/// The import graph of the module files that ship (test-only code left out).
#[derive(Debug, Default)]
pub struct ImportMap {
    /// Every module file reached from a crate root, with the crate it belongs to.
    pub files: BTreeMap<String, Crate>,
    /// File → the other module files it names.
    pub edges: BTreeMap<String, BTreeSet<String>>,
    /// The files declared under `#[cfg(test)]`, and the files they declare: not on the map.
    pub test_only: BTreeSet<String>,
}

/// Builds the import map of `sources` from whichever crate roots they hold.
pub fn import_map(sources: &Sources) -> Result<ImportMap, String> {
    let mut tree = Tree::default();
    for (root, krate) in [("lib.rs", Crate::Library), ("main.rs", Crate::Binary)] {
        if sources.contains_key(root) {
            tree.add_file(sources, root, (krate, Vec::new()))?;
        }
    }
    let mut map = ImportMap {
        test_only: tree.test_only.clone(),
        ..ImportMap::default()
    };
    for parsed in &tree.parsed {
        map.files.insert(parsed.file.clone(), parsed.module.0);
        let mut aliases = Aliases::default();
        aliases.visit_file(&parsed.ast);
        let mut names = Names {
            tree: &tree,
            krate: parsed.module.0,
            scope: parsed.module.1.clone(),
            aliases: BTreeMap::new(),
            named: BTreeSet::new(),
        };
        // The aliases are resolved at the file's top level: a `use` inside a function body or an
        // inline module is rare enough in this tree that its own scope does not matter.
        for (name, path) in aliases.found {
            if let Some(module) = names.absolute(&path, true)
                && tree.modules.contains_key(&module)
            {
                names.aliases.insert(name, module);
            }
        }
        names.visit_file(&parsed.ast);
        let own = &parsed.file;
        let targets: BTreeSet<String> = names.named.into_iter().filter(|f| f != own).collect();
        map.edges.insert(own.clone(), targets);
    }
    Ok(map)
}
