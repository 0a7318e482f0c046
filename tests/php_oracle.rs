//! The PHP parser against PHP itself: the real-file corpus (with `json_encode(include FILE)`
//! oracles) and generated files evaluated by the `php` CLI.

use magelint::syntax::{dump::to_json, php, Limits, LineIndex};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real")
}

/// Our JSON matches PHP's: `{"$dynamic": …}` matches anything, numbers compare numerically.
fn matches(ours: &Json, php: &Json, path: &str, diffs: &mut Vec<String>) {
    match (ours, php) {
        (Json::Object(o), _) if o.len() == 1 && o.contains_key("$dynamic") => {}
        (Json::Number(a), Json::Number(b)) => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            let same = match (a.as_i64(), b.as_i64()) {
                (Some(i), Some(j)) => i == j,
                _ => x == y || (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()),
            };
            if !same || a.is_f64() != b.is_f64() && a.as_i64().is_some() != b.as_i64().is_some() {
                diffs.push(format!("{path}: ours {a}, php {b}"));
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            if a.len() != b.len() {
                diffs.push(format!("{path}: list lengths {} vs {}", a.len(), b.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                matches(x, y, &format!("{path}/{i}"), diffs);
            }
        }
        (Json::Object(a), Json::Object(b)) => {
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b.keys().collect();
            if ka != kb {
                diffs.push(format!("{path}: keys {ka:?} vs {kb:?}"));
                return;
            }
            for (k, x) in a {
                matches(x, &b[k], &format!("{path}/{k}"), diffs);
            }
        }
        _ if ours == php => {}
        _ => diffs.push(format!("{path}: ours {ours}, php {php}")),
    }
}

#[test]
fn real_corpus_matches_php_oracle() {
    let mut checked = 0;
    let mut failures = Vec::new();
    let entries = std::fs::read_dir(corpus_dir()).expect("corpus directory exists");
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if !name.contains(".php") || name.ends_with(".oracle.json") || name.ends_with(".j2") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("readable corpus file");
        let oracle_path = path.with_file_name(format!("{name}.oracle.json"));
        let oracle: Json = serde_json::from_str(
            &std::fs::read_to_string(&oracle_path).expect("every corpus PHP file has an oracle"),
        )
        .expect("oracle is JSON");
        match php::parse(&source, &Limits::default()) {
            Ok(doc) => {
                let mut diffs = Vec::new();
                matches(&to_json(&doc.root), &oracle, "", &mut diffs);
                if !diffs.is_empty() {
                    failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{name}: parse error {} at {:?}", e.message, e.span)),
        }
        checked += 1;
    }
    eprintln!(
        "oracle: {checked} real files checked, {} failed",
        failures.len()
    );
    assert!(
        checked >= 20,
        "expected the real corpus, found {checked} files"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn jinja_template_fails_on_line_37() {
    let path = corpus_dir().join("ziffitykishore__agilex__app__etc__env.php.j2");
    let source = std::fs::read_to_string(path).expect("j2 file exists");
    let err = php::parse(&source, &Limits::default()).expect_err("a Jinja template is not PHP");
    let pos = LineIndex::new(&source).position(&source, err.span.start);
    assert_eq!(pos.line, 37, "error {} at {pos:?}", err.message);
    assert_eq!(err.message, "expected `,` or `)`, found `database`");
}
