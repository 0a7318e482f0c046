//! Every finding's JSON Pointer names the value the finding points at: on every rule's firing
//! fixtures, each pointer resolves in the file's parsed tree to a node (or a key) whose place
//! holds the finding's span. Tools read `pointer` from the JSON output instead of the line.

use crate::diagnostic::Diagnostic;
use crate::model::pointer::key_text;
use crate::run::SourceFile;
use crate::syntax::{Node, Span};

/// The places of the node `pointer` names (its value, and its key where written), if it exists.
fn places(root: &Node, pointer: &str) -> Option<Vec<Span>> {
    let mut node = root;
    let mut key = None;
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let entries = node.value.entries();
        // By key (a sequence's items are keyed 0, 1, ...), else by position.
        let entry = entries
            .iter()
            .find(|e| key_text(&e.key) == segment)
            .or_else(|| entries.get(segment.parse::<usize>().ok()?))?;
        key = entry.key_span.get();
        node = &entry.value;
    }
    Some([Some(node.span), key].into_iter().flatten().collect())
}

fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn check(file: &SourceFile, diagnostic: &Diagnostic) -> Result<(), String> {
    let Some(pointer) = diagnostic.location.pointer.as_deref() else {
        return Ok(());
    };
    // The pointer of a key written twice names the value that wins (the tree keeps one), the
    // finding the other writing (MG003, YM002) or the byte order mark before it (YM001); that
    // of something missing names where it belongs (EC010, EC066).
    if ["MG003", "YM001", "YM002", "EC010", "EC066"].contains(&diagnostic.rule.code) {
        return Ok(());
    }
    let limits = crate::syntax::Limits::default();
    let document = crate::check::file::parse(&file.source, &file.text, &limits)
        .map_err(|e| format!("does not parse: {e:?}"))?;
    let places = places(&document.root, pointer).ok_or(format!("{pointer} names nothing"))?;
    let span = diagnostic.location.span;
    if places
        .iter()
        .any(|&place| within(span, place) || within(place, span))
    {
        Ok(())
    } else {
        Err(format!(
            "{pointer} is at {places:?}, the finding at {span:?}"
        ))
    }
}

#[test]
fn every_pointer_names_the_value_its_finding_points_at() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in super::firing_fixtures() {
        let mut options = crate::options::LintOptions {
            paths: vec![case],
            ..crate::options::LintOptions::default()
        };
        // Every rule, and the whole text of each file.
        options.selection.select = vec!["ALL".into()];
        options.uncut = true;
        let report = crate::lint::lint(&options);
        for diagnostic in &report.diagnostics {
            let Some(file) = report.files.get(diagnostic.location.file) else {
                continue;
            };
            checked += usize::from(diagnostic.location.pointer.is_some());
            if let Err(problem) = check(file, diagnostic) {
                failures.push(format!(
                    "{} {} {}: {problem}",
                    file.display_path, diagnostic.rule.code, diagnostic.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 100, "only {checked} findings with a pointer");
}
