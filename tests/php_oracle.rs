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
            if !same {
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

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Generates random PHP array literals exercising keys, escapes, numbers and comments.
struct Gen {
    rng: Rng,
    keys: Vec<String>,
    /// Deepest nesting of the current file (random per file).
    max_depth: usize,
}

impl Gen {
    fn trivia(&mut self) -> &'static str {
        match self.rng.below(12) {
            0 => " /* c */ ",
            1 => " // line ?\n",
            2 => " # hash\n",
            3 => "\n  /** doc\n * block */\n",
            4 => "\n\t",
            _ => " ",
        }
    }

    fn int(&mut self) -> String {
        let n = self.rng.next() % 100_000;
        let s = match self.rng.below(9) {
            0 => format!("0x{n:X}"),
            1 => format!("0{n:o}"),
            2 => format!("0o{n:o}"),
            3 => format!("0b{n:b}"),
            4 => "1_000_000".to_string(),
            5 => "9223372036854775807".to_string(),
            6 => "9223372036854775808".to_string(),
            7 => "0xFFFFFFFFFFFFFFFF".to_string(),
            _ => n.to_string(),
        };
        if self.rng.below(4) == 0 {
            format!("-{s}")
        } else {
            s
        }
    }

    fn float(&mut self) -> String {
        let s = self.rng.pick(&[
            "1.5", ".5", "1e3", "2.5E-3", "1_000.25", "0.1", "1e20", "7.0", "3.", "1E+5",
        ]);
        if self.rng.below(3) == 0 {
            format!("-{s}")
        } else {
            s.to_string()
        }
    }

    fn text(&mut self) -> String {
        let parts = [
            "abc",
            "é",
            "x y",
            "Magento\\Framework",
            "0",
            "",
            "12",
            "$",
            "}",
            "ü€",
        ];
        (0..self.rng.below(3) + 1)
            .map(|_| self.rng.pick(&parts))
            .collect()
    }

    fn single(&mut self) -> String {
        let mut s = String::from("'");
        for _ in 0..self.rng.below(4) {
            let piece = match self.rng.below(6) {
                0 => "\\\\".to_string(),
                1 => "\\'".to_string(),
                2 => "\\n".to_string(),
                3 => "\"".to_string(),
                _ => self.text().replace('\\', "\\\\"),
            };
            s.push_str(&piece);
        }
        s.push('\'');
        s
    }

    fn double(&mut self) -> String {
        let escapes = [
            "\\n",
            "\\t",
            "\\r",
            "\\v",
            "\\e",
            "\\f",
            "\\\\",
            "\\$",
            "\\\"",
            "\\101",
            "\\0",
            "\\x41",
            "\\x7e",
            "\\u{e9}",
            "\\u{1F600}",
            "\\q",
            "\\u",
            "'",
            "\\7!",
            "\\x4",
        ];
        let mut s = String::from("\"");
        for _ in 0..self.rng.below(5) {
            if self.rng.below(2) == 0 {
                s.push_str(self.rng.pick(&escapes));
            } else {
                s.push_str(&self.text().replace('\\', "\\\\").replace('$', "\\$"));
            }
        }
        s.push('"');
        s
    }

    fn heredoc(&mut self) -> String {
        let indent = self.rng.pick(&["", "  ", "    ", "\t"]);
        let label = self.rng.pick(&["EOT", "X_1", "LABEL"]);
        let opener = match self.rng.below(3) {
            0 => format!("<<<'{label}'"),
            1 => format!("<<<\"{label}\""),
            _ => format!("<<<{label}"),
        };
        let mut body = String::new();
        for i in 0..self.rng.below(3) {
            if i > 0 {
                body.push('\n');
            }
            body.push_str(indent);
            body.push_str(self.rng.pick(&[
                "line",
                "  more",
                "a\\tb \\x41 \\u{e9}",
                "\\\\ '\"",
                "",
            ]));
        }
        if body.is_empty() {
            format!("{opener}\n{indent}{label}")
        } else {
            format!("{opener}\n{body}\n{indent}{label}")
        }
    }

    fn scalar(&mut self) -> String {
        match self.rng.below(14) {
            0 | 1 => self.int(),
            2 => self.float(),
            3 | 4 => self.single(),
            5 | 6 => self.double(),
            7 => self.heredoc(),
            8 => self
                .rng
                .pick(&["true", "FALSE", "Null", "null", "True"])
                .to_string(),
            9 => format!("{} . {}", self.single(), self.int()),
            10 => format!("{} . {} . {}", self.double(), self.float(), self.single()),
            11 => format!("-({})", self.int()),
            12 => format!("(true ? {} : 1)", self.single()),
            _ => format!("null ?? {}", self.single()),
        }
    }

    fn key(&mut self) -> Option<String> {
        if !self.keys.is_empty() && self.rng.below(6) == 0 {
            let i = self.rng.below(self.keys.len());
            return Some(self.keys[i].clone());
        }
        let k = match self.rng.below(14) {
            0..=2 => return None,
            3 => self.int(),
            4 => self
                .rng
                .pick(&["'12'", "'012'", "'-3'", "'1.5'", "'-0'", "\"7\"", "' 1'"])
                .into(),
            5 => self
                .rng
                .pick(&["true", "false", "null", "1.7", "-2.9", "0x10"])
                .into(),
            6 => self.double(),
            _ => self.single(),
        };
        self.keys.push(k.clone());
        Some(k)
    }

    fn array(&mut self, depth: usize) -> String {
        let saved = std::mem::take(&mut self.keys);
        let long = self.rng.below(2) == 0;
        let (open, close) = if long { ("array(", ")") } else { ("[", "]") };
        let mut s = String::from(open);
        let n = self.rng.below(6);
        for i in 0..n {
            if i > 0 {
                s.push(',');
            }
            s.push_str(self.trivia());
            if let Some(k) = self.key() {
                s.push_str(&k);
                s.push_str(self.trivia());
                s.push_str("=>");
                s.push_str(self.trivia());
            }
            if depth < self.max_depth && self.rng.below(3) == 0 {
                let inner = self.array(depth + 1);
                s.push_str(&inner);
            } else {
                let v = self.scalar();
                s.push_str(&v);
            }
        }
        if n > 0 && self.rng.below(2) == 0 {
            s.push(',');
        }
        s.push_str(self.trivia());
        s.push_str(close);
        self.keys = saved;
        s
    }

    fn file(&mut self) -> String {
        self.max_depth = self.rng.below(8);
        let body = self.array(0);
        match self.rng.below(4) {
            0 => format!("<?php\ndeclare(strict_types=1);\n\n$c = {body};\nreturn $c;\n"),
            1 => format!("<?php\n$c = [];\n$c['x'] = {body};\n$c[] = 5;\nreturn $c;\n"),
            _ => format!("<?php\n// generated\nreturn {body};\n"),
        }
    }
}

#[test]
fn generated_files_match_php() {
    let php_ok = std::process::Command::new("php")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !php_ok {
        if std::env::var_os("CI").is_some() {
            panic!("the `php` CLI is required for the differential test in CI");
        }
        eprintln!("skipping differential test: `php` CLI not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("magelint-php-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // CI runs a few thousand cases (well under 30 s); `MAGELINT_PHP_CASES=200000` (and another
    // `MAGELINT_PHP_SEED`) for a longer manual run. One `php` process evaluates every case.
    let count: usize = std::env::var("MAGELINT_PHP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("MAGELINT_PHP_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut gen = Gen {
        rng: Rng(seed.max(1)),
        keys: Vec::new(),
        max_depth: 4,
    };
    let mut sources = Vec::new();
    let mut paths = Vec::new();
    for i in 0..count {
        let source = gen.file();
        let path = dir.join(format!("case{i}.php"));
        std::fs::write(&path, &source).expect("write case");
        sources.push(source);
        paths.push(path);
    }
    // The case list goes in a file, not argv: thousands of paths would pass ARG_MAX.
    let list = dir.join("cases.txt");
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(&list, names.join("\n")).expect("write case list");
    let runner = dir.join("run.php");
    std::fs::write(
        &runner,
        "<?php foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $f) { \
         try { $v = include $f; echo json_encode($v, JSON_PRESERVE_ZERO_FRACTION), \"\\n\"; } \
         catch (Throwable $e) { echo \"\\\"runtime error\\\"\\n\"; } }",
    )
    .expect("write runner");
    let out = std::process::Command::new("php")
        .args(["-n", "-d", "display_errors=stderr"])
        .arg(&runner)
        .arg(&list)
        .output()
        .expect("php runs");
    assert!(
        out.status.success(),
        "php failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("php prints UTF-8 JSON");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        count,
        "one JSON line per file; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut failures = Vec::new();
    let mut runtime_errors = 0;
    for (i, (source, line)) in sources.iter().zip(&lines).enumerate() {
        if *line == "\"runtime error\"" {
            // PHP threw (e.g. the next index after PHP_INT_MAX is occupied): nothing to compare.
            runtime_errors += 1;
            continue;
        }
        let expected: Json = serde_json::from_str(line).expect("php JSON");
        match php::parse(source, &Limits::default()) {
            Ok(doc) => {
                let mut diffs = Vec::new();
                matches(&to_json(&doc.root), &expected, "", &mut diffs);
                if !diffs.is_empty() {
                    failures.push(format!("case{i}:\n{source}\n  {}", diffs.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("case{i}: {} at {:?}\n{source}", e.message, e.span)),
        }
    }
    eprintln!(
        "differential: {count} generated files, {runtime_errors} skipped (PHP runtime error), {} differ",
        failures.len()
    );
    assert!(
        runtime_errors < count / 10,
        "too many cases PHP could not evaluate"
    );
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
