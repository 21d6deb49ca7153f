//! From source text to a file-level import graph: which module file names which.
//!
//! The module tree is followed from the crate roots (`lib.rs`, `main.rs`) through their `mod`
//! declarations, so a file declared under `#[cfg(test)]` (and everything below it) is left out,
//! as are `#[cfg(test)]` items and inline modules. A path names a module file when it starts at
//! `crate`, `self`, `super`, the library's name (from the binary), a child module of the current
//! module, or a name a `use` bound to a module; it then names the longest prefix of it that is a
//! module file. `mod x;` itself is not an edge.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::visit::Visit;

/// The library crate's name, as the binary and the tests spell it.
pub const LIBRARY: &str = "lcsauth";

/// Source texts by path relative to `src/`, with `/` separators (`api/mod.rs`).
pub type Sources = BTreeMap<String, String>;

/// The two crates of the package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Crate {
    /// `src/lib.rs` and its modules.
    Library,
    /// `src/main.rs` and its modules.
    Binary,
}

/// A module: its crate and its path from the crate root.
type ModPath = (Crate, Vec<String>);

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

struct Module {
    file: String,
    /// Child modules, file or inline, by name.
    children: BTreeSet<String>,
}

struct Parsed {
    file: String,
    module: ModPath,
    ast: syn::File,
}

#[derive(Default)]
struct Tree {
    modules: BTreeMap<ModPath, Module>,
    parsed: Vec<Parsed>,
    test_only: BTreeSet<String>,
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

impl Tree {
    fn add_file(&mut self, sources: &Sources, file: &str, module: ModPath) -> Result<(), String> {
        let text = sources.get(file).ok_or_else(|| format!("no source for {file}"))?;
        let ast = syn::parse_file(text).map_err(|e| format!("{file}: {e}"))?;
        self.modules.insert(
            module.clone(),
            Module {
                file: file.to_owned(),
                children: BTreeSet::new(),
            },
        );
        let dir = child_dir(file);
        self.add_items(sources, file, &dir, &module, &ast.items)?;
        self.parsed.push(Parsed {
            file: file.to_owned(),
            module,
            ast,
        });
        Ok(())
    }

    fn add_items(
        &mut self,
        sources: &Sources,
        file: &str,
        dir: &str,
        module: &ModPath,
        items: &[syn::Item],
    ) -> Result<(), String> {
        for item in items {
            let syn::Item::Mod(m) = item else { continue };
            if is_test_only(&m.attrs) {
                if m.content.is_none() {
                    let found = module_file(sources, file, dir, m)?;
                    self.add_test_file(sources, &found)?;
                }
                continue;
            }
            let name = m.ident.to_string();
            let mut child = module.clone();
            child.1.push(name.clone());
            if let Some(entry) = self.modules.get_mut(module) {
                entry.children.insert(name.clone());
            }
            let child_dir = join(dir, &name);
            if let Some((_, inner)) = &m.content {
                let module = Module {
                    file: file.to_owned(),
                    children: BTreeSet::new(),
                };
                self.modules.insert(child.clone(), module);
                self.add_items(sources, file, &child_dir, &child, inner)?;
                continue;
            }
            let found = module_file(sources, file, dir, m)?;
            self.add_file(sources, &found, child)?;
        }
        Ok(())
    }

    /// A test-only file and every file it declares, recorded and left off the map.
    fn add_test_file(&mut self, sources: &Sources, file: &str) -> Result<(), String> {
        let text = sources.get(file).ok_or_else(|| format!("no source for {file}"))?;
        let ast = syn::parse_file(text).map_err(|e| format!("{file}: {e}"))?;
        self.test_only.insert(file.to_owned());
        let dir = child_dir(file);
        for item in &ast.items {
            if let syn::Item::Mod(m) = item
                && m.content.is_none()
            {
                let found = module_file(sources, file, &dir, m)?;
                self.add_test_file(sources, &found)?;
            }
        }
        Ok(())
    }

    /// The module file that holds `module`: the longest prefix of it that is a known module.
    fn file_of(&self, module: &ModPath) -> Option<&str> {
        let (krate, segs) = module;
        (0..=segs.len()).rev().find_map(|n| {
            let prefix = (*krate, segs[..n].to_vec());
            self.modules.get(&prefix).map(|m| m.file.as_str())
        })
    }
}

/// The file of `mod name;` declared in `file` (whose child modules live in `dir`).
fn module_file(sources: &Sources, file: &str, dir: &str, m: &syn::ItemMod) -> Result<String, String> {
    let name = m.ident.to_string();
    let child_dir = join(dir, &name);
    let candidates = match path_attr(&m.attrs) {
        Some(path) => vec![join(parent_dir(file), &path)],
        None => vec![format!("{child_dir}.rs"), format!("{child_dir}/mod.rs")],
    };
    candidates
        .iter()
        .find(|c| sources.contains_key(c.as_str()))
        .cloned()
        .ok_or_else(|| format!("{file}: `mod {name};` has no file ({candidates:?})"))
}

/// Where the files of modules declared in `file` live: beside a `mod.rs` or crate root, in a
/// folder named after any other file.
fn child_dir(file: &str) -> String {
    let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
    if matches!(name, "mod.rs" | "lib.rs" | "main.rs") {
        dir.to_owned()
    } else {
        join(dir, name.trim_end_matches(".rs"))
    }
}

fn parent_dir(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s), ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// `#[cfg(test)]`, or `#[cfg(all(test, …))]`: code the shipped program never holds.
pub fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let syn::Meta::List(list) = &a.meta else { return false };
        if !list.path.is_ident("cfg") {
            return false;
        }
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        match tokens.as_slice() {
            [TokenTree::Ident(i)] => i == "test",
            [TokenTree::Ident(all), TokenTree::Group(g)] if all == "all" => g
                .stream()
                .into_iter()
                .any(|t| matches!(t, TokenTree::Ident(i) if i == "test")),
            _ => false,
        }
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item;
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Every path a `use` tree spells out, each with the name it binds (`None` for a glob).
pub fn use_paths(tree: &syn::UseTree) -> Vec<(Vec<String>, Option<String>)> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            // `a::{self}` names `a` itself.
            syn::UseTree::Name(n) if n.ident == "self" => {
                out.push((prefix.clone(), prefix.last().cloned()));
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix.clone();
                path.push(n.ident.to_string());
                out.push((path, Some(n.ident.to_string())));
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                if r.ident != "self" {
                    path.push(r.ident.to_string());
                }
                out.push((path, Some(r.rename.to_string())));
            }
            syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    walk(t, prefix, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

/// Pass one: the names a file's `use` declarations bind, with the paths they stand for.
#[derive(Default)]
struct Aliases {
    found: Vec<(String, Vec<String>)>,
}

impl<'ast> Visit<'ast> for Aliases {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if is_test_only(item_attrs(item)) || matches!(item, syn::Item::Mod(_)) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for (path, name) in use_paths(&u.tree) {
            if let Some(name) = name {
                self.found.push((name, path));
            }
        }
    }
}

/// Pass two: every module file the file names.
struct Names<'t> {
    tree: &'t Tree,
    krate: Crate,
    scope: Vec<String>,
    aliases: BTreeMap<String, ModPath>,
    named: BTreeSet<String>,
}

impl Names<'_> {
    /// The absolute module path `segs` stands for, if it starts at a root this crate knows.
    /// A path that starts at a child module or an alias must have two segments or more (from a
    /// `use` one is enough): a lone name in code is a value or a type, not a module.
    fn absolute(&self, segs: &[String], in_use: bool) -> Option<ModPath> {
        let first = segs.first()?;
        let rest = |n: usize| segs[n..].to_vec();
        let own = |mut base: Vec<String>, tail: Vec<String>| {
            base.extend(tail);
            Some((self.krate, base))
        };
        match first.as_str() {
            "crate" => own(Vec::new(), rest(1)),
            "self" => own(self.scope.clone(), rest(1)),
            "super" => {
                let ups = segs.iter().take_while(|s| *s == "super").count();
                let keep = self.scope.len().checked_sub(ups)?;
                own(self.scope[..keep].to_vec(), rest(ups))
            }
            LIBRARY if self.krate == Crate::Binary => Some((Crate::Library, rest(1))),
            _ if segs.len() < 2 && !in_use => None,
            _ => {
                let here = (self.krate, self.scope.clone());
                let is_child = self.tree.modules.get(&here).is_some_and(|m| m.children.contains(first));
                if is_child {
                    own(self.scope.clone(), rest(0))
                } else {
                    let (krate, mut base) = self.aliases.get(first)?.clone();
                    base.extend(rest(1));
                    Some((krate, base))
                }
            }
        }
    }

    fn name(&mut self, segs: &[String], in_use: bool) {
        if let Some(module) = self.absolute(segs, in_use)
            && let Some(file) = self.tree.file_of(&module)
        {
            self.named.insert(file.to_owned());
        }
    }

    /// A string that spells a path (`#[serde(with = "duration_text")]`). A lone `crate`,
    /// `self`, `super` or `lcsauth` (a command name, a title) is a word, not a path.
    fn name_in_string(&mut self, literal: &str) {
        let Some(inner) = literal.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
            return;
        };
        let path_like = inner.chars().all(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if !path_like || matches!(inner, "crate" | "self" | "super" | LIBRARY) {
            return;
        }
        if let Ok(path) = syn::parse_str::<syn::Path>(inner)
            && path.leading_colon.is_none()
        {
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.name(&segs, true);
        }
    }

    /// Paths inside macro input (`format!("{}", crate::x::y())`) and attribute strings
    /// (`#[serde(with = "duration_text")]`), which the parser keeps as tokens.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.scan_tokens(g.stream()),
                TokenTree::Literal(lit) => self.name_in_string(&lit.to_string()),
                TokenTree::Ident(first) if !follows_colons(&trees, i) => {
                    let mut segs = vec![first.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Ident(next))) =
                        (trees.get(j), trees.get(j + 1), trees.get(j + 2))
                    {
                        if a.as_char() != ':' || a.spacing() != Spacing::Joint || b.as_char() != ':' {
                            break;
                        }
                        segs.push(next.to_string());
                        j += 3;
                    }
                    if segs.len() > 1 {
                        self.name(&segs, false);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

fn follows_colons(trees: &[TokenTree], i: usize) -> bool {
    i >= 1 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == ':')
}

impl<'ast> Visit<'ast> for Names<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test_only(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // A declaration (`mod x;`) is not an edge; an inline module is a scope of its own.
        if let Some((_, items)) = &m.content {
            self.scope.push(m.ident.to_string());
            for item in items {
                self.visit_item(item);
            }
            self.scope.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for (path, _) in use_paths(&u.tree) {
            self.name(&path, true);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.name(&segs, false);
        }
        syn::visit::visit_path(self, path);
    }

    // `pub(crate)` and `pub(super)` say who may see an item; they name no module's contents.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.scan_tokens(mac.tokens.clone());
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &attr.meta {
            self.scan_tokens(list.tokens.clone());
        }
    }
}
