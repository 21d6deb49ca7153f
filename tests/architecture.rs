//! The import map of `src/`, as a test: which module file names which, and the plan it must keep.
//!
//! - no circle among the files of any folder's subtree, nor of `src/` as a whole;
//! - the board names nothing of the command line, the shared front names neither front end, and
//!   the library names none of the three.
//!
//! `cargo test --test architecture -- --nocapture` prints the map as folder → folder arrows.
//! The rules themselves (what a node and an edge are) are in `architecture/imports.rs`, with the
//! module tree in `architecture/modtree.rs` and what a file names in `architecture/names.rs`;
//! they are tested on small trees in `architecture/examples.rs`.

// A test crate's root looks for its modules beside it; these live in a folder of their own.
#[path = "architecture/examples.rs"]
mod examples;
#[path = "architecture/graph.rs"]
mod graph;
#[path = "architecture/imports.rs"]
mod imports;
#[path = "architecture/modtree.rs"]
mod modtree;
#[path = "architecture/names.rs"]
mod names;

use std::path::Path;

use graph::{Edges, arrows_between, every_circle, folder_map, within};
use imports::{Crate, ImportMap, Sources, import_map};

/// The fronts, which the library must never name.
const FRONTS: &[&str] = &["cli", "front", "tui"];

fn src_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
}

fn read_sources(dir: &Path, prefix: &str, out: &mut Sources) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let rel = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            read_sources(&path, &rel, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.insert(rel, text);
        }
    }
}

fn sources() -> Sources {
    let mut out = Sources::new();
    read_sources(src_dir(), "", &mut out);
    out
}

fn src_map() -> ImportMap {
    import_map(&sources()).unwrap_or_else(|e| panic!("the import map of src/ cannot be built: {e}"))
}

/// Every folder that holds a module file, and `""` for `src/` itself.
fn folders(map: &ImportMap) -> Vec<String> {
    let mut out = vec![String::new()];
    for file in map.files.keys() {
        let mut dir = file.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            out.push(parent.to_owned());
            dir = parent;
        }
    }
    out.sort();
    out.dedup();
    out
}

fn show(edges: &Edges, circle: &[String]) -> String {
    let path = circle
        .iter()
        .map(|f| format!("src/{f}"))
        .collect::<Vec<_>>()
        .join(" → ");
    let arrows: usize = edges.values().map(std::collections::BTreeSet::len).sum();
    format!("{path}  (of {arrows} file arrows in src/)")
}

#[test]
fn no_folder_of_src_has_an_import_circle() {
    let map = src_map();
    let mut circles = Vec::new();
    for folder in folders(&map) {
        let checked = |f: &str| within(f, &folder);
        if !map.files.keys().any(|f| checked(f)) {
            continue;
        }
        for circle in every_circle(&map.edges, checked) {
            circles.push(format!("src/{folder}: {}", show(&map.edges, &circle)));
        }
    }
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

#[test]
fn the_board_names_nothing_of_the_command_line() {
    let map = src_map();
    let arrows = arrows_between(&map.edges, "tui", "cli");
    assert!(arrows.is_empty(), "tui → cli:\n{}", arrows.join("\n"));
}

#[test]
fn the_shared_front_names_neither_front_end() {
    let map = src_map();
    let mut arrows = arrows_between(&map.edges, "front", "cli");
    arrows.extend(arrows_between(&map.edges, "front", "tui"));
    assert!(arrows.is_empty(), "front → a front end:\n{}", arrows.join("\n"));
}

#[test]
fn the_library_holds_and_names_no_front() {
    let map = src_map();
    let library = |f: &str| map.files.get(f) == Some(&Crate::Library);
    let held: Vec<&String> = map
        .files
        .keys()
        .filter(|f| library(f) && FRONTS.iter().any(|d| within(f, d)))
        .collect();
    assert!(held.is_empty(), "front files declared by lib.rs: {held:?}");
    let mut arrows = Vec::new();
    for front in FRONTS {
        arrows.extend(arrows_between(&map.edges, "", front).into_iter().filter(|a| {
            let from = a.split(" → ").next().unwrap_or_default();
            library(from)
        }));
    }
    assert!(arrows.is_empty(), "library → front:\n{}", arrows.join("\n"));
    assert!(map.files.values().any(|c| *c == Crate::Binary), "main.rs was not read");
}

/// The package's build script, relative to `src/`, as `Cargo.toml` names it (`build = "…"`): a
/// crate root of its own, run by cargo before the build, which no module declares.
fn build_script() -> Option<String> {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).ok()?;
    let line = manifest.lines().find(|l| l.trim_start().starts_with("build = "))?;
    let path = line.split('"').nth(1)?;
    path.strip_prefix("src/").map(str::to_owned)
}

/// A file the map does not reach is either test-only, the build script, or compiled by no one:
/// the last would hide its imports from every check here.
#[test]
fn every_source_file_is_on_the_map_or_test_only() {
    let map = src_map();
    let build = build_script();
    assert_eq!(
        build.as_deref(),
        Some("startup/build.rs"),
        "the build script moved: say where here"
    );
    let stray: Vec<String> = sources()
        .into_keys()
        .filter(|f| !map.files.contains_key(f) && !map.test_only.contains(f) && Some(f) != build.as_ref())
        .collect();
    assert!(stray.is_empty(), "not declared by any module: {stray:?}");
    assert!(map.test_only.contains("tui/tests/mod.rs"), "{:?}", map.test_only);
}

#[test]
fn the_import_map_prints_as_folder_arrows() {
    let map = src_map();
    let arrows = folder_map(&map.edges);
    println!("import map of src/ (folder → folder, file arrows):");
    for ((from, to), n) in &arrows {
        println!("  {from:>16} → {to} ({n})");
    }
    assert!(
        arrows.contains_key(&("main".to_owned(), "cli".to_owned())),
        "{arrows:?}"
    );
    assert!(arrows.keys().all(|(a, b)| a != b));
}
