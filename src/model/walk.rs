//! `Node::path` and `Node::path_entry` for the fleet's lookups: the same keys matched the same
//! way, but the `/`-separated path is cut with a plain byte scan. Every site asks for dozens of
//! settings, and the generic `split('/')`/`rsplit_once('/')` searchers cost more than the key
//! comparisons themselves there.

use crate::syntax::{Entry, Key, Node};

/// The node at `path` below `node`, as `Node::path` finds it (empty segments are skipped).
pub fn path<'n>(node: &'n Node, path: &str) -> Option<&'n Node> {
    let mut node = node;
    let mut rest = path;
    loop {
        let (segment, after) = split_first(rest);
        if !segment.is_empty() {
            node = &entry(node, segment)?.value;
        }
        match after {
            Some(after) => rest = after,
            None => return Some(node),
        }
    }
}

/// The entry `path` ends at, as `Node::path_entry` finds it: the non-empty segments before
/// the last `/` are walked, the last one is looked up as written (even when empty).
pub fn path_entry<'n>(node: &'n Node, path: &str) -> Option<&'n Entry> {
    let mut node = node;
    let mut rest = path;
    loop {
        match split_first(rest) {
            (segment, Some(after)) => {
                if !segment.is_empty() {
                    node = &entry(node, segment)?.value;
                }
                rest = after;
            }
            (last, None) => return entry(node, last),
        }
    }
}

/// `Node::entry`, with the common string-key comparison inline.
fn entry<'n>(node: &'n Node, name: &str) -> Option<&'n Entry> {
    node.value.entries().iter().find(|e| match &e.key {
        Key::Str(key) => key.as_str() == name,
        // PHP's int-key comparison: `Key::matches` itself.
        Key::Int(_) => e.key.matches(name),
    })
}

/// The text before the first `/` and, if there is one, the text after it.
fn split_first(path: &str) -> (&str, Option<&str>) {
    match path.bytes().position(|b| b == b'/') {
        // `/` is ASCII: both sides are at character boundaries.
        Some(at) => (&path[..at], Some(&path[at + 1..])),
        None => (path, None),
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::{php, Limits};

    /// Every path over an alphabet of keys, separators and empty segments finds what
    /// `Node::path` and `Node::path_entry` find.
    #[test]
    fn finds_what_the_node_methods_find() {
        // An int key (`1`) too: `'1'` must find it, as PHP compares keys.
        let text = "<?php return ['a' => ['b' => ['c' => 1, '' => 2], 1 => 'x'], \
                    '' => ['d' => 3], 'b' => ['c' => ['a' => 4]], 'é' => ['é' => 5]];";
        let document = php::parse(text, &Limits::default()).expect("parses");
        let root = &document.root;
        let parts = ["a", "b", "c", "", "1", "d", "é"];
        let mut paths = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for p in &paths {
                for part in parts {
                    longer.push(format!("{p}/{part}"));
                    longer.push(format!("{p}{part}"));
                }
            }
            paths.extend(longer);
            paths.sort();
            paths.dedup();
        }
        let mut found = 0;
        for p in &paths {
            let fast = super::path(root, p).map(|n| n as *const _);
            assert_eq!(fast, root.path(p).map(|n| n as *const _), "path {p:?}");
            let fast = super::path_entry(root, p).map(|e| e as *const _);
            assert_eq!(
                fast,
                root.path_entry(p).map(|e| e as *const _),
                "entry {p:?}"
            );
            found += usize::from(fast.is_some());
        }
        // The alphabet reaches real entries, not only misses.
        assert!(found > 20, "{found}");
    }
}
