//! The import map and the circle finder on small trees written here, so that what the real tree
//! passes is known to be able to fail.

use std::collections::BTreeSet;

use super::graph::{every_circle, find_circle, folder_map};
use super::imports::{ImportMap, Sources, import_map};

fn tree(files: &[(&str, &str)]) -> ImportMap {
    let sources: Sources = files.iter().map(|(p, s)| ((*p).to_owned(), (*s).to_owned())).collect();
    import_map(&sources).expect("the example parses")
}

fn named_by(map: &ImportMap, file: &str) -> BTreeSet<String> {
    map.edges.get(file).cloned().unwrap_or_default()
}

fn set(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn a_circle_between_two_files_is_found_and_spelled_as_the_path_round_it() {
    let map = tree(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "use crate::b::Thing;\npub fn g() {}\n"),
        ("b.rs", "pub struct Thing;\nfn f() { crate::a::g(); }\n"),
    ]);
    let circle = find_circle(&map.edges, |_| true).expect("a ↔ b is a circle");
    assert_eq!(circle.first(), circle.last());
    assert_eq!(circle.iter().cloned().collect::<BTreeSet<_>>(), set(&["a.rs", "b.rs"]));
    assert_eq!(circle.len(), 3, "{circle:?}");
}

#[test]
fn a_longer_circle_is_found_and_a_file_outside_the_checked_folder_breaks_it() {
    let map = tree(&[
        ("lib.rs", "mod p;\nmod q;\n"),
        ("p/mod.rs", "pub mod a;\npub mod b;\n"),
        ("p/a.rs", "use super::b::B;\npub struct A;\n"),
        ("p/b.rs", "use crate::q::Q;\npub struct B;\n"),
        ("q.rs", "pub struct Q;\nfn f(_: crate::p::a::A) {}\n"),
    ]);
    let circle = find_circle(&map.edges, |_| true).expect("p/a → p/b → q → p/a");
    assert_eq!(circle.len(), 4, "{circle:?}");
    assert_eq!(find_circle(&map.edges, |f| f.starts_with("p/")), None);
}

#[test]
fn a_clean_graph_has_no_circle() {
    let map = tree(&[
        ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n"),
        ("a.rs", "use crate::b::B;\nuse crate::c::C;\n"),
        ("b.rs", "use crate::c::C;\npub struct B;\n"),
        ("c.rs", "pub struct C;\n"),
    ]);
    assert_eq!(named_by(&map, "a.rs"), set(&["b.rs", "c.rs"]));
    assert_eq!(find_circle(&map.edges, |_| true), None);
}

#[test]
fn a_mod_declaration_is_not_an_edge() {
    let map = tree(&[
        ("lib.rs", "pub mod x;\n"),
        ("x/mod.rs", "//! The x folder.\npub mod y;\nmod z;\n"),
        ("x/y.rs", "pub struct Y;\n"),
        ("x/z.rs", "use super::y::Y;\n"),
    ]);
    assert!(named_by(&map, "lib.rs").is_empty());
    assert!(named_by(&map, "x/mod.rs").is_empty());
    assert_eq!(named_by(&map, "x/z.rs"), set(&["x/y.rs"]));
    assert_eq!(map.files.len(), 4);
}

#[test]
fn a_nested_use_tree_from_super_names_each_leaf_module_file() {
    let map = tree(&[
        ("lib.rs", "mod p;\n"),
        ("p/mod.rs", "mod a;\nmod b;\nmod user;\n"),
        ("p/a.rs", "pub struct A;\n"),
        ("p/b/mod.rs", "pub mod c;\n"),
        ("p/b/c.rs", "pub struct C;\n"),
        ("p/user.rs", "use super::{\n    a,\n    b::{\n        c,\n    },\n};\n"),
    ]);
    assert_eq!(named_by(&map, "p/user.rs"), set(&["p/a.rs", "p/b/c.rs"]));
}

#[test]
fn a_re_export_points_from_parent_to_child_and_a_parent_item_from_child_to_parent() {
    let map = tree(&[
        ("lib.rs", "pub mod p;\n"),
        ("p/mod.rs", "mod child;\npub use child::Thing;\npub struct Shared;\n"),
        ("p/child.rs", "use super::Shared;\npub struct Thing(Shared);\n"),
    ]);
    assert_eq!(named_by(&map, "p/mod.rs"), set(&["p/child.rs"]));
    assert_eq!(named_by(&map, "p/child.rs"), set(&["p/mod.rs"]));
    let circle = find_circle(&map.edges, |_| true).expect("mod.rs ↔ child.rs");
    assert_eq!(circle.len(), 3);
}

#[test]
fn test_only_modules_and_items_are_left_out() {
    let map = tree(&[
        ("lib.rs", "mod a;\nmod b;\n#[cfg(test)]\nmod tests;\n"),
        (
            "a.rs",
            "pub struct A;\n#[cfg(test)]\nmod tests {\n    use crate::b::B;\n}\n",
        ),
        (
            "b.rs",
            "pub struct B;\n#[cfg(all(test, unix))]\nfn only_in_tests() { crate::a::A; }\n",
        ),
        ("tests.rs", "use crate::a::A;\nmod more;\n"),
        ("tests/more.rs", "use crate::b::B;\n"),
    ]);
    assert!(named_by(&map, "a.rs").is_empty());
    assert!(named_by(&map, "b.rs").is_empty());
    assert!(!map.files.contains_key("tests.rs"));
    assert_eq!(map.test_only, set(&["tests.rs", "tests/more.rs"]));
}

#[test]
fn the_binary_names_library_files_through_the_crate_name() {
    let map = tree(&[
        ("lib.rs", "pub mod store;\n"),
        ("store/mod.rs", "pub mod keyring;\n"),
        ("store/keyring.rs", "pub fn open() {}\n"),
        ("main.rs", "mod cli;\nfn main() { cli::run(); }\n"),
        ("cli.rs", "pub use lcsauth::store::keyring::open as run;\n"),
    ]);
    assert_eq!(named_by(&map, "main.rs"), set(&["cli.rs"]));
    assert_eq!(named_by(&map, "cli.rs"), set(&["store/keyring.rs"]));
}

#[test]
fn paths_in_code_macros_attributes_and_through_a_module_alias_are_edges() {
    let map = tree(&[
        ("lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\nmod e;\n"),
        (
            "a.rs",
            "use crate::b;\n\
             fn f() -> String {\n    let _ = b::inner::g();\n    format!(\"{}\", crate::c::name())\n}\n\
             #[derive(serde::Deserialize)]\nstruct S {\n    #[serde(with = \"crate::d\")]\n    x: u8,\n}\n\
             fn h(_: &crate::e::E) {}\n",
        ),
        ("b/mod.rs", "pub mod inner;\n"),
        ("b/inner.rs", "pub fn g() {}\n"),
        ("c.rs", "pub fn name() -> &'static str { \"c\" }\n"),
        ("d.rs", "pub fn deserialize() {}\n"),
        ("e.rs", "pub struct E;\n"),
    ]);
    assert_eq!(
        named_by(&map, "a.rs"),
        set(&["b/mod.rs", "b/inner.rs", "c.rs", "d.rs", "e.rs"])
    );
}

#[test]
fn a_lone_name_matching_a_child_module_and_a_visibility_are_not_edges() {
    let map = tree(&[
        (
            "lib.rs",
            "mod state;\nfn f(state: u8) -> u8 { println!(\"{}\", state); state }\n",
        ),
        ("state.rs", "pub(crate) struct State;\npub(super) fn f() {}\n"),
    ]);
    assert!(named_by(&map, "lib.rs").is_empty());
    assert!(named_by(&map, "state.rs").is_empty(), "pub(crate) is no edge to lib.rs");
}

#[test]
fn a_declared_module_without_a_file_is_an_error() {
    let sources: Sources = [("lib.rs".to_owned(), "mod gone;\n".to_owned())].into();
    let err = import_map(&sources).expect_err("gone.rs is missing");
    assert!(err.contains("gone"), "{err}");
}

#[test]
fn the_folder_map_counts_file_arrows_between_folders() {
    let map = tree(&[
        ("lib.rs", "mod p;\nmod top;\n"),
        ("p/mod.rs", "pub mod a;\npub mod b;\n"),
        ("p/a.rs", "use crate::top::T;\n"),
        ("p/b.rs", "use crate::top::T;\nuse super::a;\n"),
        ("top.rs", "pub struct T;\n"),
    ]);
    let arrows = folder_map(&map.edges);
    assert_eq!(arrows.get(&("p".to_owned(), "top".to_owned())), Some(&2));
    assert_eq!(arrows.len(), 1, "p/b → p/a stays inside p: {arrows:?}");
}

#[test]
fn every_tangle_is_listed_once_each() {
    let map = tree(&[
        ("lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\nmod e;\n"),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        ("b.rs", "use crate::a::A;\npub struct B;\n"),
        ("c.rs", "use crate::d::D;\nuse crate::a::A;\npub struct C;\n"),
        ("d.rs", "use crate::c::C;\npub struct D;\n"),
        ("e.rs", "use crate::a::A;\n"),
    ]);
    let circles = every_circle(&map.edges, |_| true);
    let groups: BTreeSet<BTreeSet<String>> = circles.iter().map(|c| c.iter().cloned().collect()).collect();
    assert_eq!(
        groups,
        [set(&["a.rs", "b.rs"]), set(&["c.rs", "d.rs"])].into(),
        "{circles:?}"
    );
}
