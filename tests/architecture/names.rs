//! Which module files one parsed file names: the names its `use` declarations bind (pass one),
//! then every path in its code, macro input and attribute strings (pass two).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::visit::Visit;

use super::modtree::{Crate, ModPath, Tree, is_test_only};

/// The library crate's name, as the binary and the tests spell it.
pub const LIBRARY: &str = "lcsauth";

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
pub struct Aliases {
    pub found: Vec<(String, Vec<String>)>,
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
pub struct Names<'t> {
    pub tree: &'t Tree,
    pub krate: Crate,
    pub scope: Vec<String>,
    pub aliases: BTreeMap<String, ModPath>,
    pub named: BTreeSet<String>,
}

impl Names<'_> {
    /// The absolute module path `segs` stands for, if it starts at a root this crate knows.
    /// A path that starts at a child module or an alias must have two segments or more (from a
    /// `use` one is enough): a lone name in code is a value or a type, not a module.
    pub fn absolute(&self, segs: &[String], in_use: bool) -> Option<ModPath> {
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
