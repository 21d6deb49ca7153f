//! The module tree of a crate, followed from its roots (`lib.rs`, `main.rs`) through the `mod`
//! declarations to the file of each module; what is declared under `#[cfg(test)]` is set
//! aside, since the shipped program never holds it.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenTree;

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
pub type ModPath = (Crate, Vec<String>);

/// A module: the file it is written in and its child modules.
pub struct Module {
    pub file: String,
    /// Child modules, file or inline, by name.
    pub children: BTreeSet<String>,
}

/// A module file as parsed, with the module it holds.
pub struct Parsed {
    pub file: String,
    pub module: ModPath,
    pub ast: syn::File,
}

/// Every module of the crates, every module file parsed, and the test-only files.
#[derive(Default)]
pub struct Tree {
    pub modules: BTreeMap<ModPath, Module>,
    pub parsed: Vec<Parsed>,
    pub test_only: BTreeSet<String>,
}

impl Tree {
    /// Parses `file` as `module` and follows its `mod` declarations.
    pub fn add_file(&mut self, sources: &Sources, file: &str, module: ModPath) -> Result<(), String> {
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
    pub fn file_of(&self, module: &ModPath) -> Option<&str> {
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
