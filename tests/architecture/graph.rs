//! Circles in a file graph, and the folder-level view of it that the import map prints.

use std::collections::{BTreeMap, BTreeSet};

/// File → the files it names.
pub type Edges = BTreeMap<String, BTreeSet<String>>;

/// A circle among the files `keep` accepts, as the path that goes round it (first file repeated
/// at the end), or `None` when there is none. Arrows to files `keep` refuses are ignored.
pub fn find_circle(edges: &Edges, keep: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn walk<'a>(
        node: &'a str,
        edges: &'a Edges,
        keep: &dyn Fn(&str) -> bool,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        marks.insert(node, Mark::Open);
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if !keep(next) {
                continue;
            }
            match marks.get(next.as_str()) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| *n == next)?;
                    let mut circle: Vec<String> = stack[start..].iter().map(|s| (*s).to_owned()).collect();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(c) = walk(next, edges, keep, marks, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys().filter(|n| keep(n)) {
        if !marks.contains_key(node.as_str())
            && let Some(c) = walk(node, edges, &keep, &mut marks, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// One circle for each group of files that reach each other (a strongly connected component of
/// two files or more), so a failure lists every tangle at once rather than the first.
pub fn every_circle(edges: &Edges, keep: impl Fn(&str) -> bool) -> Vec<Vec<String>> {
    let nodes: Vec<&String> = edges.keys().filter(|n| keep(n)).collect();
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(n) = todo.pop() {
            for next in edges.get(&n).into_iter().flatten() {
                if keep(next) && seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut grouped = BTreeSet::new();
    let mut out = Vec::new();
    for n in &nodes {
        if grouped.contains(*n) || !reached[n].contains(*n) {
            continue;
        }
        let group: BTreeSet<String> = reached[n]
            .iter()
            .filter(|m| reached.get(m).is_some_and(|r| r.contains(*n)))
            .cloned()
            .collect();
        grouped.extend(group.iter().cloned());
        if let Some(circle) = find_circle(edges, |f| group.contains(f)) {
            out.push(circle);
        }
    }
    out
}

/// Whether `file` (relative to `src/`) is the module `folder` or lies in its subtree (`""` is
/// all of `src/`).
pub fn within(file: &str, folder: &str) -> bool {
    folder.is_empty()
        || file
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/') || rest == ".rs")
}

/// The folder a file is drawn in on the map: its directory, or for a file at the top of `src/`
/// the module it is (`audience.rs` → `audience`).
pub fn folder_of(file: &str) -> String {
    match file.rsplit_once('/') {
        Some((dir, _)) => dir.to_owned(),
        None => file.trim_end_matches(".rs").to_owned(),
    }
}

/// Folder → folder arrows, each with how many file-level arrows it stands for.
pub fn folder_map(edges: &Edges) -> BTreeMap<(String, String), usize> {
    let mut map = BTreeMap::new();
    for (from, targets) in edges {
        for to in targets {
            let (a, b) = (folder_of(from), folder_of(to));
            if a != b {
                *map.entry((a, b)).or_insert(0) += 1;
            }
        }
    }
    map
}

/// The arrows of `edges` from a file under `from` to a file under `to`, as `a → b` lines.
pub fn arrows_between(edges: &Edges, from: &str, to: &str) -> Vec<String> {
    edges
        .iter()
        .filter(|(a, _)| within(a, from))
        .flat_map(|(a, targets)| {
            targets
                .iter()
                .filter(|b| within(b, to))
                .map(move |b| format!("{a} → {b}"))
        })
        .collect()
}
