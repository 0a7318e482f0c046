//! Differential test of the schema fast path (`schema::fast_verdict`) against the exact path
//! (`schema::validate_exact`: JSON + `jsonschema` + describe).
//!
//! Soundness, on everything: when the fast path vouches for a document, the exact path finds
//! nothing. Usefulness, on real files: the fast path vouches for every file the exact path finds
//! valid (else it would silently stop saving time). Inputs: every parseable config file under
//! fixtures/, tests/, the shared real corpus and /tmp/mlb/fleet-100 (when present), then a few
//! thousand seeded mutations of a handful of base documents per schema.

use magelint::discover::{classify, SourcePath};
use magelint::schema;
use magelint::syntax::{Document, Entry, Key, Limits, Node, Span, Value};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The schemas applied to files (magelint-output describes our own output).
const APPLIED: &[&str] = &[
    "config-php",
    "env-php",
    "magelint-config",
    "magento-app-yaml",
    "magento-env-yaml",
    "magento-routes-yaml",
    "magento-services-yaml",
];

struct Parsed {
    origin: String,
    schema: &'static str,
    document: Document,
}

fn parse(path: &Path, logical: &Path) -> Option<Parsed> {
    let (kind, format) = classify(logical)?;
    let name = schema::for_kind(&kind)?;
    let text = std::fs::read_to_string(path).ok()?;
    let source = SourcePath {
        path: logical.to_path_buf(),
        kind,
        format,
        explicit: true,
        git: Default::default(),
    };
    let document = magelint::lint::parse(&source, &text, &Limits::default()).ok()?;
    Some(Parsed {
        origin: path.display().to_string(),
        schema: name,
        document,
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Files under a directory, each standing for itself.
fn tree(dir: &Path) -> Vec<Parsed> {
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    paths.iter().filter_map(|p| parse(p, p)).collect()
}

/// Corpus files (`owner__repo__app__etc__env.php` stands for app/etc/env.php).
fn corpus() -> Vec<Parsed> {
    let mut paths = Vec::new();
    walk(&Path::new(ROOT).join("../shared/corpus/real"), &mut paths);
    paths
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            if name.ends_with(".oracle.json") || !name.contains("__") {
                return None;
            }
            let logical: Vec<&str> = name.split("__").skip(2).collect();
            parse(p, &PathBuf::from(logical.join("/")))
        })
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    exact_valid: usize,
    fast_valid: usize,
}

/// Compares both paths on one document; returns (fast-valid, exact-valid) and panics on an
/// unsound verdict or when `validate` differs from the exact path.
fn compare(schema_name: &str, document: &Document, origin: &str) -> (bool, bool) {
    let fast = schema::fast_verdict(schema_name, document)
        .unwrap_or_else(|| panic!("{schema_name} has no fast validator"));
    let exact = schema::validate_exact(schema_name, document);
    let json = magelint::syntax::dump::to_json(&document.root);
    assert!(
        !fast || exact.is_empty(),
        "UNSOUND: fast path vouched for {origin} ({schema_name}) but the exact path finds {exact:#?}\n{json:#}"
    );
    assert_eq!(schema::validate(schema_name, document), exact, "{origin}");
    (fast, exact.is_empty())
}

#[test]
fn every_applied_schema_has_a_fast_validator() {
    let empty = Document::new(Node::new(
        Value::Array {
            entries: Vec::new(),
            list: false,
        },
        Span::default(),
    ));
    for name in APPLIED {
        assert!(schema::fast_verdict(name, &empty).is_some(), "{name}");
    }
}

#[test]
fn real_files_agree_with_the_exact_path() {
    let mut sources = vec![
        ("fixtures", tree(&Path::new(ROOT).join("fixtures"))),
        ("tests", tree(&Path::new(ROOT).join("tests"))),
        ("corpus", corpus()),
    ];
    let fleet = Path::new("/tmp/mlb/fleet-100");
    if fleet.is_dir() {
        sources.push(("fleet-100", tree(fleet)));
    } else {
        println!("fleet-100: absent, skipped");
    }
    let mut missed = Vec::new();
    for (label, files) in &sources {
        let mut counts = Counts::default();
        for file in files {
            let (fast, exact) = compare(file.schema, &file.document, &file.origin);
            counts.files += 1;
            counts.exact_valid += usize::from(exact);
            counts.fast_valid += usize::from(fast);
            if exact && !fast {
                missed.push(format!("{} ({})", file.origin, file.schema));
            }
        }
        println!(
            "{label}: {} files, {} exact-valid, {} fast-valid",
            counts.files, counts.exact_valid, counts.fast_valid
        );
        // tests/ holds its config files inline in the .rs sources; the others must not be empty.
        assert!(
            counts.files > 0 || *label == "tests",
            "{label}: no files found"
        );
    }
    assert!(
        missed.is_empty(),
        "valid files the fast path did not vouch for: {missed:#?}"
    );
}

/// Hand-written bases for the kinds the fixtures have few of.
const INLINE_BASES: &[(&str, &str)] = &[
    (
        ".magento/routes.yaml",
        "\"https://{default}/\":\n  type: upstream\n  upstream: \"mymagento:http\"\n\"https://www.{default}/\":\n  type: redirect\n  to: \"https://{default}/\"\n",
    ),
    (
        ".magento/services.yaml",
        "mysql:\n  type: mysql:10.6\n  disk: 2048\nredis:\n  type: redis:7.2\nopensearch:\n  type: opensearch:2\n  disk: 1024\n  configuration:\n    plugins: [analysis-icu]\n",
    ),
    (
        ".magelint.yaml",
        "select: [ALL]\nignore: [MS010, SCH]\nseverity:\n  SCH001: warning\n  MS003: error\nfail-on: warning\nexclude: [\"vendor/**\"]\nper-file-ignores:\n  \"app/etc/env.*.php\": [E002]\n",
    ),
];

/// A small seeded generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every property name and string enum value in a schema: keys and values that look right.
fn schema_words(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "properties" {
                    if let Some(props) = v.as_object() {
                        out.extend(props.keys().cloned());
                    }
                }
                if k == "enum" {
                    if let Some(values) = v.as_array() {
                        out.extend(values.iter().filter_map(|v| v.as_str().map(String::from)));
                    }
                }
                schema_words(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| schema_words(v, out)),
        _ => {}
    }
}

fn node(value: Value) -> Node {
    Node::new(value, Span::default())
}

fn entry(key: Key, value: Value) -> Entry {
    Entry {
        key,
        key_span: magelint::syntax::KeySpan::NONE,
        value: node(value),
    }
}

fn sample_value(rng: &mut Rng, words: &[String]) -> Value {
    let strings = [
        "",
        "x",
        "0",
        "1",
        "error",
        "Warning",
        "mysql:8.0",
        "php:8.3",
        "a/b~c",
        "ALL",
        "sch1",
        "SCH001",
        "redis:7 ",
        "files",
        "db",
        "1.5",
    ];
    match rng.below(14) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Int(*rng.pick(&[-1, 0, 1, 2, 9, 10, 32, 33, 4096, i64::MIN])),
        3 => Value::Float(*rng.pick(&[0.0, 1.0, 0.5, -1.5, 33.0, f64::NAN, f64::INFINITY])),
        4 => Value::String((*rng.pick(&strings)).into()),
        5 | 6 => Value::String(rng.pick(words).as_str().into()),
        7 => Value::Array {
            entries: Vec::new(),
            list: rng.below(2) == 0,
        },
        8 => Value::Dynamic("getenv('X')".into()),
        9 => Value::Array {
            entries: vec![
                entry(Key::Int(0), Value::String("a".into())),
                entry(Key::Int(1), Value::Int(1)),
            ],
            list: true,
        },
        _ => Value::Array {
            entries: vec![entry(
                Key::Str(rng.pick(words).as_str().into()),
                sample_value(rng, words),
            )],
            list: false,
        },
    }
}

/// Entry-index paths of every node, root first.
fn node_paths(node: &Node, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(prefix.clone());
    for (i, e) in node.value.entries().iter().enumerate() {
        prefix.push(i);
        node_paths(&e.value, prefix, out);
        prefix.pop();
    }
}

fn node_at<'a>(root: &'a mut Node, path: &[usize]) -> &'a mut Node {
    path.iter().fold(root, |node, &i| match &mut node.value {
        Value::Array { entries, .. } => &mut entries[i].value,
        _ => unreachable!("paths come from node_paths"),
    })
}

/// One random edit: flip a type, add/drop/duplicate/rename a key, dynamic, `[]` vs `{}`.
fn mutate(document: &mut Document, rng: &mut Rng, words: &[String]) {
    let mut paths = Vec::new();
    node_paths(&document.root, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let sample = sample_value(rng, words);
    let word = rng.pick(words).clone();
    let op = rng.below(9);
    let target = node_at(&mut document.root, &path);
    match (&mut target.value, op) {
        (Value::Array { entries, .. }, 0) => {
            let key = match rng.below(4) {
                0 => Key::Int(entries.len() as i64),
                1 => Key::Str(format!("{word}_x").into()),
                _ => Key::Str(word.into()),
            };
            entries.push(entry(key, sample));
        }
        (Value::Array { entries, .. }, 1) if !entries.is_empty() => {
            let i = rng.below(entries.len());
            entries.remove(i);
        }
        (Value::Array { entries, .. }, 2) if !entries.is_empty() => {
            // The same JSON key again (or its int/string twin): `to_json` keeps the last value.
            let i = rng.below(entries.len());
            let key = match &entries[i].key {
                Key::Int(n) if rng.below(2) == 0 => Key::Str(n.to_string().into()),
                Key::Str(s) if s.parse::<i64>().is_ok() && rng.below(2) == 0 => {
                    Key::Int(s.parse().unwrap_or(0))
                }
                key => key.clone(),
            };
            let value = if rng.below(2) == 0 {
                Value::Dynamic("$_ENV['X']".into())
            } else {
                sample
            };
            let at = rng.below(entries.len() + 1);
            entries.insert(at, entry(key, value));
        }
        (Value::Array { entries, .. }, 3) if !entries.is_empty() => {
            let i = rng.below(entries.len());
            entries[i].key = match rng.below(3) {
                0 => Key::Int(rng.below(3) as i64),
                1 => Key::Str(entries[i].key.to_string().to_uppercase().into()),
                _ => Key::Str(word.into()),
            };
        }
        (Value::Array { entries, list }, 4) => {
            entries.clear();
            *list = !*list;
        }
        (Value::String(s), 5) => s.push(if rng.below(2) == 0 { ' ' } else { 'Z' }),
        (_, 6) => target.value = Value::Dynamic("MY_CONSTANT".into()),
        _ => target.value = sample,
    }
}

#[test]
fn mutations_never_fool_the_fast_path() {
    let mut bases: Vec<Parsed> = Vec::new();
    for (logical, text) in INLINE_BASES {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(logical);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        bases.extend(parse(&path, Path::new(logical)));
    }
    bases.extend(tree(&Path::new(ROOT).join("fixtures")));
    bases.extend(corpus());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut total, mut exact_valid, mut fast_valid) = (0, 0, 0);
    for name in APPLIED {
        let text = schema::text(name).expect("bundled");
        let mut words = Vec::new();
        schema_words(
            &serde_json::from_str(text).expect("schema json"),
            &mut words,
        );
        words.extend(["unknown_key".to_string(), "1".to_string()]);
        // A handful of base documents per schema: valid ones first, they make the best starts.
        let mut of_kind: Vec<&Parsed> = bases.iter().filter(|b| b.schema == *name).collect();
        of_kind.sort_by_key(|b| !schema::validate_exact(name, &b.document).is_empty());
        of_kind.truncate(6);
        assert!(!of_kind.is_empty(), "no base document for {name}");
        let per_schema = 700;
        let (mut kind_exact, mut kind_fast) = (0, 0);
        for i in 0..per_schema {
            let base = of_kind[i % of_kind.len()];
            let mut document = base.document.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut document, &mut rng, &words);
            }
            let origin = format!("mutation {i} of {}", base.origin);
            let (fast, exact) = compare(name, &document, &origin);
            kind_exact += usize::from(exact);
            kind_fast += usize::from(fast);
        }
        println!(
            "{name}: {per_schema} mutations of {} bases, {kind_exact} exact-valid, {kind_fast} fast-valid",
            of_kind.len()
        );
        total += per_schema;
        exact_valid += kind_exact;
        fast_valid += kind_fast;
    }
    println!(
        "all: {total} mutations, {exact_valid} exact-valid, {fast_valid} fast-valid, 0 unsound"
    );
    // The mutations must reach both verdicts, or they test nothing.
    assert!(
        exact_valid > total / 20 && exact_valid < total,
        "{exact_valid}/{total}"
    );
    assert!(fast_valid > 0);
}
