//! The YAML reader against Symfony YAML, the reader ece-tools and magento-cloud-docker use
//! (`Yaml::parse($text, Yaml::PARSE_CONSTANT)`, Symfony 5.4 from Debian's `php-symfony-yaml`):
//! every YAML file of the corpus and of the fixtures, and thousands of generated documents,
//! read the same by both, or refused by both. Skipped without `php` and the package, except
//! under `CI=true`, where it fails.

#[allow(dead_code)]
mod yaml_gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use magelint::syntax::{yaml, Document, Key, Limits, Node, Value};
use serde_json::{json, Value as Json};
use yaml_gen::Rng;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");
const READER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/symfony_yaml.php");
const SYMFONY: &str = "/usr/share/php/Symfony/Component/Yaml/autoload.php";

fn symfony_available() -> bool {
    let php = Command::new("php")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if php && Path::new(SYMFONY).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI needs `php` and Debian's php-symfony-yaml for the Symfony YAML differential test"
    );
    eprintln!("skipped: php or php-symfony-yaml is not installed");
    false
}

/// Symfony's reading of each file: `{"ok": value}` or `{"refused": message}`.
fn symfony(paths: &[PathBuf]) -> Vec<Json> {
    let mut child = Command::new("php")
        .arg(READER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("php runs");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    let mut stdin = child.stdin.take().expect("php stdin");
    // A thread writes the list while we read the answers, so neither pipe fills up.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin
            .write_all(list.as_bytes())
            .expect("write paths to php");
    });
    let out = child.wait_with_output().expect("php output");
    writer.join().expect("writer thread");
    assert!(
        out.status.success(),
        "php failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let answers: Vec<Json> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("reader prints JSON"))
        .collect();
    assert_eq!(answers.len(), paths.len(), "one answer per file");
    answers
}

/// A PHP array key as PHP makes it: decimal integer strings become ints.
fn php_key(key: &Key) -> Json {
    match key {
        Key::Int(i) => json!(i),
        Key::Str(s) => {
            let canonical = s
                .parse::<i64>()
                .ok()
                .filter(|i| i.to_string() == s.as_str());
            canonical.map_or_else(|| json!(s.as_str()), |i| json!(i))
        }
    }
}

/// Our value in the reader's shape; a run-time value (`!php/const` of a constant we do not
/// know) becomes `{"dynamic": text}`, which matches anything.
fn plain(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) if f.is_nan() => json!({ "f": "NAN" }),
        Value::Float(f) if f.is_infinite() => json!({ "f": if *f > 0.0 { "INF" } else { "-INF" } }),
        Value::Float(f) => json!({ "f": f }),
        Value::String(s) => json!(s.as_str()),
        Value::Dynamic(text) => json!({ "dynamic": text }),
        Value::Array { entries, .. } => {
            // PHP arrays: a later equal key (`1` and `'1'`) replaces the earlier one in place.
            let mut out: Vec<(Json, Json)> = Vec::new();
            for entry in entries {
                let key = php_key(&entry.key);
                let value = plain(&entry.value);
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => out.push((key, value)),
                }
            }
            json!({ "a": out.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() })
        }
    }
}

fn float_of(theirs: &Json) -> Option<f64> {
    match theirs.as_str()? {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        "NAN" => Some(f64::NAN),
        text => text.parse().ok(),
    }
}

/// Compares our value with Symfony's; pushes each difference.
fn compare(pointer: &str, ours: &Json, theirs: &Json, dynamic: &mut usize, out: &mut Vec<String>) {
    if let Some(obj) = ours.as_object() {
        if obj.contains_key("dynamic") {
            *dynamic += 1;
            return;
        }
        if let (Some(f), Some(g)) = (obj.get("f"), theirs.get("f").and_then(float_of)) {
            let f = f.as_f64().or_else(|| float_of(f)).unwrap_or(f64::NAN);
            if f == g || (f.is_nan() && g.is_nan()) || f.to_bits() == g.to_bits() {
                return;
            }
        }
        if let (Some(Json::Array(a)), Some(Json::Array(b))) = (obj.get("a"), theirs.get("a")) {
            if a.len() == b.len() {
                for (x, y) in a.iter().zip(b) {
                    if x[0] != y[0] {
                        out.push(format!("{pointer}: key {} vs Symfony {}", x[0], y[0]));
                        return;
                    }
                    let key = x[0].to_string();
                    compare(&format!("{pointer}/{key}"), &x[1], &y[1], dynamic, out);
                }
                return;
            }
        }
    }
    if ours != theirs {
        out.push(format!("{pointer}: ours {ours} vs Symfony {theirs}"));
    }
}

/// Whether we refuse the file as Symfony does: a parse error, or a duplicate key (which
/// Symfony YAML refuses and magelint reports as an error).
fn our_reading(source: &str) -> Result<Document, String> {
    let doc = yaml::parse(source, &Limits::default()).map_err(|e| e.message)?;
    if let Some(d) = doc.duplicates.first() {
        return Err(format!("duplicate key {}", d.key));
    }
    Ok(doc)
}

#[derive(Default, Debug)]
struct Tally {
    same: usize,
    both_refuse: usize,
    /// Values we read as run-time (`!php/const` of a constant magelint does not know).
    dynamic: usize,
    /// Symfony refused only for a constant the oracle's PHP does not define (a Magento class
    /// constant, defined at deploy time), which we read as a run-time value.
    undefined_constant: usize,
    /// Symfony's reasons where both refuse, for the report.
    refusals: std::collections::BTreeMap<String, usize>,
}

/// Symfony's message without the exception class, quoted parts and line.
fn reason(why: &Json) -> String {
    let text = why.as_str().unwrap_or_default();
    let text = text.rsplit("Exception: ").next().unwrap_or(text);
    let text = text.split(" at line").next().unwrap_or(text);
    let mut out = String::new();
    for (i, part) in text.split('"').enumerate() {
        out.push_str(if i % 2 == 0 { part } else { "…" });
    }
    out
}

/// Differences between our reading and Symfony's for each file.
fn differences(paths: &[PathBuf], tally: &mut Tally) -> Vec<String> {
    let answers = symfony(paths);
    let mut diffs = Vec::new();
    for (path, theirs) in paths.iter().zip(&answers) {
        let source = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        let ours = our_reading(&source);
        let name = path.display();
        match (ours, theirs.get("ok"), theirs.get("refused")) {
            (Err(_), _, Some(why)) => {
                tally.both_refuse += 1;
                *tally.refusals.entry(reason(why)).or_default() += 1;
            }
            (Ok(doc), _, Some(why)) => {
                let ours = plain(&doc.root);
                // A constant the oracle's PHP lacks (not a PDO one, which it has): we read it
                // as a run-time value, as a value or (its text) as a key, maybe later replaced.
                let undefined = why.as_str().is_some_and(|w| {
                    w.contains("is not defined")
                        && !w.contains("\"\\PDO::")
                        && !w.contains("\"PDO::")
                });
                if undefined {
                    tally.undefined_constant += 1;
                } else {
                    diffs.push(format!("{name}: Symfony refuses ({why}), we read {ours}"));
                }
            }
            (Err(e), Some(value), _) => {
                diffs.push(format!("{name}: we refuse ({e}), Symfony reads {value}"));
            }
            (Ok(doc), Some(value), _) => {
                let mut found = Vec::new();
                compare("", &plain(&doc.root), value, &mut tally.dynamic, &mut found);
                if found.is_empty() {
                    tally.same += 1;
                } else {
                    diffs.push(format!("{name}: {}", found.join("; ")));
                }
            }
            (_, None, None) => diffs.push(format!("{name}: reader answered {theirs}")),
        }
    }
    diffs
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(path);
        }
    }
}

fn report(what: &str, tally: &Tally, diffs: &[String]) {
    eprintln!("{what}: {tally:?}, {} differ", diffs.len());
    let shown: Vec<&String> = diffs.iter().take(40).collect();
    assert!(
        diffs.is_empty(),
        "{what}: {} differences with Symfony YAML:\n{}",
        diffs.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn corpus_and_fixtures_read_as_symfony_reads_them() {
    if !symfony_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("fixtures"),
        root.join("tests"),
        PathBuf::from(CORPUS),
    ] {
        yaml_files(&dir, &mut files);
    }
    files.sort();
    assert!(files.len() > 40, "too few YAML files: {}", files.len());
    let mut tally = Tally::default();
    let diffs = differences(&files, &mut tally);
    report(&format!("{} files", files.len()), &tally, &diffs);
}

#[test]
fn generated_documents_read_as_symfony_reads_them() {
    if !symfony_available() {
        return;
    }
    // `MAGELINT_SYMFONY_CASES=100000` (and another `MAGELINT_SYMFONY_SEED`) for a longer run.
    let count: usize = std::env::var("MAGELINT_SYMFONY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let dir = std::env::temp_dir().join(format!("magelint-symfony-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let seed: u64 = std::env::var("MAGELINT_SYMFONY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5379_6d66);
    let mut rng = Rng::new(seed);
    let mut paths = Vec::new();
    for i in 0..count {
        let source = yaml_gen::symfony::document(&mut rng);
        let path = dir.join(format!("case{i}.yaml"));
        std::fs::write(&path, source).expect("write case");
        paths.push(path);
    }
    let mut tally = Tally::default();
    let diffs = differences(&paths, &mut tally);
    if diffs.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    report(&format!("{count} generated documents"), &tally, &diffs);
    // Both verdicts must be exercised for the comparison to mean something.
    assert!(
        tally.same > count / 2 && tally.both_refuse > count / 20,
        "{tally:?}"
    );
}
