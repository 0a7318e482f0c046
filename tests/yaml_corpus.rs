//! The YAML loader against the real-world corpus: every file parses, spans match their text, and
//! values agree with PyYAML (when python3 + PyYAML are installed; CI must `pip install pyyaml`).

use std::path::{Path, PathBuf};
use std::process::Command;

use magelint::syntax::dump::to_json;
use magelint::syntax::{yaml, Document, Limits, Node, Value};
use serde_json::Value as Json;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("corpus {CORPUS}: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no YAML files in {CORPUS}");
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn parse(path: &Path, source: &str) -> Document {
    match yaml::parse(source, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{path:?}: {} at {:?}", e.message, e.span),
    }
}

fn load(path: &Path) -> (String, Document) {
    let source = read(path);
    let doc = parse(path, &source);
    (source, doc)
}

#[test]
fn every_corpus_yaml_parses() {
    for path in corpus_files() {
        let (_, doc) = load(&path);
        // A file of comments only (a commented-out template) is an empty document.
        assert!(
            matches!(doc.root.value, Value::Array { .. } | Value::Null),
            "{path:?}: root is not a mapping"
        );
    }
}

#[derive(Default)]
struct Counts {
    values: usize,
    keys: usize,
    skipped: usize,
}

/// Whether `written` is `value` as a one-line plain, single- or double-quoted scalar.
fn written_as(written: &str, value: &str) -> Option<bool> {
    if written.contains('\n') || written.starts_with(['|', '>', '*', '&', '!']) {
        return None;
    }
    if let Some(inner) = written.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        return Some(inner.replace("''", "'") == value);
    }
    if let Some(inner) = written.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        let unescaped: Option<String> = serde_json::from_str(&format!("\"{inner}\"")).ok();
        // None: a YAML-only escape (`\x41`, `\ `...), only the quotes can be checked.
        return unescaped.map(|s| s == value);
    }
    Some(written == value)
}

fn check_spans(path: &Path, source: &str, root: &Node, counts: &mut Counts) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let written = &source[node.span.range()];
        match &node.value {
            Value::String(s) => match written_as(written, s) {
                Some(true) => counts.values += 1,
                Some(false) => panic!("{path:?}: span {:?} is {written:?}, value {s:?}", node.span),
                None => {
                    // Multi-line and block scalars: the span is at least anchored on the text.
                    assert!(
                        !written.is_empty() && !written.ends_with([' ', '\n', '\r', '\t']),
                        "{path:?}: bad span {written:?} for {s:?}"
                    );
                    counts.skipped += 1;
                }
            },
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let reparsed = yaml::parse(written, &Limits::default())
                    .unwrap_or_else(|e| panic!("{path:?}: {written:?}: {}", e.message));
                assert_eq!(
                    reparsed.root.value, node.value,
                    "{path:?}: span text {written:?}"
                );
                counts.values += 1;
            }
            Value::Null => {
                assert!(
                    written.is_empty() || matches!(written, "~" | "null" | "Null" | "NULL"),
                    "{path:?}: null written as {written:?}"
                );
                counts.values += 1;
            }
            Value::Array { entries, list } => {
                if !entries.is_empty() {
                    let first = written.as_bytes().first().copied();
                    let expected = if *list { [b'[', b'-'] } else { [b'{', b'{'] };
                    assert!(
                        first.is_some_and(|b| expected.contains(&b) || (!list && b != b' ')),
                        "{path:?}: collection span starts {written:?}"
                    );
                }
                for entry in entries {
                    if let (Some(span), Some(key)) = (entry.key_span.get(), entry.key.as_str()) {
                        let key_text = &source[span.range()];
                        assert_eq!(
                            written_as(key_text, key),
                            Some(true),
                            "{path:?}: key span {key_text:?} for key {key:?}"
                        );
                        counts.keys += 1;
                    }
                    stack.push(&entry.value);
                }
            }
            Value::Dynamic(_) => counts.skipped += 1,
        }
    }
}

#[test]
fn corpus_spans_match_their_text() {
    let mut counts = Counts::default();
    for path in corpus_files() {
        let original = read(&path);
        // Each file as is, with CRLF line ends, and after multi-byte text (byte offsets must
        // not drift from character offsets); all three must give the same values. The text
        // goes in a leading comment only where the file has one: Symfony counts leading
        // comment lines (see `quirks` in the reader). A byte order mark is not a variant:
        // Symfony reads it as part of the first key.
        let multibyte = if original.starts_with('#') {
            format!("# Größe 日本語 ✓\n{original}")
        } else {
            format!("{}\n# Größe 日本語 ✓\n", original.trim_end())
        };
        let variants = [
            original.clone(),
            original.replace("\r\n", "\n").replace('\n', "\r\n"),
            multibyte,
        ];
        let mut first_json = None;
        for source in &variants {
            let doc = parse(&path, source);
            check_spans(&path, source, &doc.root, &mut counts);
            let json = to_json(&doc.root);
            match &first_json {
                None => first_json = Some(json),
                Some(first) => assert_eq!(first, &json, "{path:?}: a variant changed the values"),
            }
        }
    }
    eprintln!(
        "span-checked {} values and {} keys ({} multi-line/block values checked loosely)",
        counts.values, counts.keys, counts.skipped
    );
    assert!(counts.values > 1000 && counts.keys > 1500);
}

/// PyYAML reads YAML 1.1; we follow the YAML 1.2 core schema like Symfony YAML 4+. These are the
/// only differences accepted.
fn yaml11_difference(ours: &Json, theirs: &Json) -> bool {
    match (ours, theirs) {
        // yes/no/on/off/y/n are booleans in 1.1, strings in 1.2.
        (Json::String(s), Json::Bool(_)) => {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "yes" | "no" | "on" | "off" | "y" | "n"
            )
        }
        // 1.1 floats need a dot (`1e3` is a string there); `1_000`, `0755`, `1:30` are numbers.
        (Json::Number(_), Json::String(s)) => !s.contains('.'),
        (Json::String(s), Json::Number(_)) => s.contains('_') || s.contains(':'),
        (Json::Number(a), Json::Number(b)) => a.as_f64() == b.as_f64(),
        _ => false,
    }
}

fn compare(path: &str, pointer: &str, ours: &Json, theirs: &Json, diffs: &mut Vec<String>) {
    match (ours, theirs) {
        (Json::Object(a), Json::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => compare(path, &format!("{pointer}/{k}"), v, w, diffs),
                    None => diffs.push(format!("{path}{pointer}/{k}: missing in PyYAML")),
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                diffs.push(format!("{path}{pointer}/{k}: missing in ours"));
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                compare(path, &format!("{pointer}/{i}"), v, w, diffs);
            }
        }
        _ if ours == theirs => {}
        _ if yaml11_difference(ours, theirs) => {
            eprintln!("{path}{pointer}: YAML 1.2 {ours} vs PyYAML (1.1) {theirs}");
        }
        _ => diffs.push(format!("{path}{pointer}: ours {ours} vs PyYAML {theirs}")),
    }
}

/// One PyYAML run for all files (python3 starts slowly): one JSON document per line.
const PYYAML: &str = "import yaml,json,sys\nfor p in sys.argv[1:]:\n    print(json.dumps(yaml.safe_load(open(p, encoding='utf-8')), default=str))";

#[test]
fn corpus_values_match_pyyaml() {
    let probe = Command::new("python3").args(["-c", "import yaml"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with PyYAML is not installed (pip install pyyaml)");
        return;
    }
    let files = corpus_files();
    let output = Command::new("python3")
        .args(["-c", PYYAML])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        output.status.success(),
        "PyYAML failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len(), "PyYAML output: {stdout}");
    let mut diffs = Vec::new();
    for (path, line) in files.iter().zip(lines) {
        let (_, doc) = load(path);
        let theirs: Json = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("PyYAML output for {path:?}: {e}"));
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        compare(&name, "", &to_json(&doc.root), &theirs, &mut diffs);
    }
    eprintln!("compared {} files with PyYAML", files.len());
    assert!(diffs.is_empty(), "differences:\n{}", diffs.join("\n"));
}
/// Prefixes (about 400 cut points per file) of every corpus file parses or fails cleanly.
#[test]
fn truncated_corpus_never_panics() {
    for path in corpus_files() {
        let source = read(&path);
        for (i, _) in source.char_indices().step_by((source.len() / 400).max(1)) {
            let _ = yaml::parse(&source[..i], &Limits::default());
        }
    }
}
