//! Parity with ece-tools: each directory of fixtures/ece-tools/parity/ is a repository ece-tools
//! was (or would be) run on, with its verdict in `verdict.txt`:
//!
//! - line 1: `pass`, `fail <code>[ <code>...]` (the critical ece-tools codes the build or deploy
//!   stops with) or `warn <code>[ <code>...]` (ece-tools warnings only);
//! - line 2: `source: ` the ece-tools files and tests the verdict follows;
//! - line 3 (optional): `generation: ` the ece-tools schema generation the case is checked with.
//!
//! `magelint check` (default rules) must agree: `fail` ⇔ exit 1 with an error citing
//! `ece-tools <code>` for each listed code and no error citing another; `warn` ⇔ a warning
//! citing each code and no error citing ece-tools; `pass` ⇔ no finding cites ece-tools. Case
//! directories are named `schema-…` (the .magento.env.yaml schema), `validator-…` (ece-tools'
//! validators) or `crossfile-…` (checks across files).

mod common;
use common::{root, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PREFIXES: &[&str] = &["schema-", "validator-", "crossfile-"];

#[derive(Debug, PartialEq)]
enum Expected {
    Pass,
    Fail(Vec<u16>),
    Warn(Vec<u16>),
}

struct Case {
    dir: PathBuf,
    name: String,
    expected: Expected,
    generation: Option<String>,
}

fn cases() -> Vec<Case> {
    let base = root().join("fixtures/ece-tools/parity");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("fixtures/ece-tools/parity exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(dir.join("verdict.txt"))
                .unwrap_or_else(|e| panic!("{name}: verdict.txt: {e}"));
            let (expected, generation) = parse_verdict(&name, &text);
            Case {
                dir,
                name,
                expected,
                generation,
            }
        })
        .collect()
}

fn parse_verdict(name: &str, text: &str) -> (Expected, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.len() >= 2 && lines[1].starts_with("source: ") && lines[1].len() > 10,
        "{name}: verdict.txt line 2 must be `source: ...`"
    );
    let mut words = lines[0].split_whitespace();
    let codes = |words: std::str::SplitWhitespace| -> Vec<u16> {
        let codes: Vec<u16> = words
            .map(|w| {
                w.parse()
                    .unwrap_or_else(|_| panic!("{name}: `{w}` is no code"))
            })
            .collect();
        assert!(!codes.is_empty(), "{name}: `{}` lists no code", lines[0]);
        codes
    };
    let expected = match words.next() {
        Some("pass") => Expected::Pass,
        Some("fail") => Expected::Fail(codes(words)),
        Some("warn") => Expected::Warn(codes(words)),
        other => panic!("{name}: line 1 is `{other:?}`, not pass/fail/warn"),
    };
    let generation = lines
        .get(2)
        .and_then(|l| l.strip_prefix("generation: "))
        .map(|g| g.trim().to_string());
    (expected, generation)
}

/// The ece-tools codes a message cites (`ece-tools 10 BUILD_…`).
fn cited(message: &str) -> Vec<u16> {
    let mut codes = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find("ece-tools ") {
        rest = &rest[at + "ece-tools ".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let follows = rest[digits.len()..].chars().next();
        if !digits.is_empty() && follows.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '.') {
            if let Ok(code) = digits.parse() {
                codes.push(code);
            }
        }
    }
    codes
}

/// What is wrong with magelint's verdict on one case (`None`: it agrees).
fn judge(case: &Case) -> Option<String> {
    let path = case.dir.strip_prefix(root()).unwrap_or(&case.dir);
    let path = path.to_string_lossy();
    let out = run(&["check", "--format", "json", &path]);
    let report: serde_json::Value = match serde_json::from_str(&out.stdout) {
        Ok(report) => report,
        Err(e) => return Some(format!("no JSON report ({e}): {}", out.stderr)),
    };
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut errors: Vec<u16> = Vec::new();
    let mut warnings: Vec<u16> = Vec::new();
    for d in &diagnostics {
        let codes = cited(d["message"].as_str().unwrap_or(""));
        match d["severity"].as_str() {
            Some("error") => errors.extend(codes),
            _ => warnings.extend(codes),
        }
    }
    let shown = || {
        diagnostics
            .iter()
            .map(|d| format!("  {} {} {}", d["code"], d["severity"], d["message"]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let wrong = match &case.expected {
        Expected::Pass if !errors.is_empty() || !warnings.is_empty() => {
            Some("expected pass, but findings cite ece-tools".to_string())
        }
        Expected::Pass => None,
        Expected::Fail(codes) => {
            let missing: Vec<&u16> = codes.iter().filter(|c| !errors.contains(c)).collect();
            let extra: Vec<&u16> = errors.iter().filter(|c| !codes.contains(c)).collect();
            if out.code != 1 {
                Some(format!("expected exit 1, got {}", out.code))
            } else if !missing.is_empty() {
                Some(format!("no error cites ece-tools {missing:?}"))
            } else if !extra.is_empty() {
                Some(format!(
                    "errors cite ece-tools {extra:?}, not in the verdict"
                ))
            } else {
                None
            }
        }
        Expected::Warn(codes) => {
            let missing: Vec<&u16> = codes.iter().filter(|c| !warnings.contains(c)).collect();
            if !errors.is_empty() {
                Some(format!("expected warnings only, errors cite {errors:?}"))
            } else if !missing.is_empty() {
                Some(format!("no warning cites ece-tools {missing:?}"))
            } else {
                None
            }
        }
    };
    // The generation is reported for a `.magento.env.yaml` that is read: a case without one
    // (a validator of .magento.app.yaml or composer.lock) or one ece-tools cannot parse (4)
    // has none to report.
    let reads_env_yaml = case.dir.join(".magento.env.yaml").is_file()
        && !matches!(&case.expected, Expected::Fail(codes) if codes.contains(&4));
    let generation_wrong = case
        .generation
        .as_ref()
        .filter(|_| reads_env_yaml)
        .and_then(|want| {
            let schemas = report["ece_tools"].as_array().cloned().unwrap_or_default();
            let got: Vec<&str> = schemas
                .iter()
                .filter(|s| {
                    s["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with(".magento.env.yaml"))
                })
                .filter_map(|s| s["generation"].as_str())
                .collect();
            (got != [want.as_str()])
                .then(|| format!("checked with generation {got:?}, verdict says {want}"))
        });
    match (wrong, generation_wrong) {
        (None, None) => None,
        (a, b) => Some(format!(
            "{}\n{}",
            [a, b].into_iter().flatten().collect::<Vec<_>>().join("; "),
            shown()
        )),
    }
}

/// Cases whose ece-tools verdict magelint does not reach yet, and why.
const NOT_YET: &[(&str, &str)] = &[];

#[test]
fn magelint_fails_exactly_where_ece_tools_fails() {
    let cases = cases();
    assert!(cases.len() >= 200, "only {} parity cases", cases.len());
    // Two threads: each case is one run of the binary.
    let (left, right) = cases.split_at(cases.len() / 2);
    let judged: Vec<(String, Option<String>)> = std::thread::scope(|scope| {
        let halves = [left, right].map(|half| {
            scope.spawn(move || {
                half.iter()
                    .map(|c| (c.name.clone(), judge(c)))
                    .collect::<Vec<_>>()
            })
        });
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("judging thread"))
            .collect()
    });
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in &cases {
        let prefix = PREFIXES
            .iter()
            .find(|p| case.name.starts_with(**p))
            .copied()
            .unwrap_or("other");
        let entry = tally.entry(prefix).or_default();
        match case.expected {
            Expected::Pass => entry.0 += 1,
            _ => entry.1 += 1,
        }
    }
    eprintln!("parity cases (pass, fail/warn): {tally:?}");
    // A case magelint does not decide yet stays listed with why: it is reported, not failed,
    // and the test fails once it agrees, so the entry goes with the rule that closes the gap.
    let mut closed = Vec::new();
    let mut mismatches = Vec::new();
    for (name, wrong) in judged {
        match (NOT_YET.iter().find(|(n, _)| *n == name), wrong) {
            (Some((_, why)), Some(w)) => eprintln!("not yet decided: {name} ({why}): {w}"),
            (Some(_), None) => closed.push(name),
            (None, Some(w)) => mismatches.push(format!("{name}: {w}")),
            (None, None) => {}
        }
    }
    assert!(
        closed.is_empty(),
        "agree now, remove from NOT_YET: {closed:?}"
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from ece-tools:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_case_is_named_and_schema_cases_hold_a_magento_env_yaml() {
    for case in cases() {
        assert!(
            PREFIXES.iter().any(|p| case.name.starts_with(p)),
            "{}: a case is named schema-…, validator-… or crossfile-…",
            case.name
        );
        assert!(
            !case.name.starts_with("schema-")
                || Path::new(&case.dir).join(".magento.env.yaml").is_file(),
            "{}: no .magento.env.yaml",
            case.name
        );
    }
}

#[test]
fn citations_are_read_from_messages() {
    assert_eq!(
        cited("x (ece-tools 10 BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML: the build stops)"),
        [10]
    );
    assert_eq!(
        cited("ece-tools 2002.1.17 has no such variable"),
        Vec::<u16>::new()
    );
    assert_eq!(cited("ece-tools 109 and ece-tools 2014"), [109, 2014]);
    assert_eq!(
        parse_verdict("t", "fail 10 109\nsource: a.php\ngeneration: 2002.1\n"),
        (Expected::Fail(vec![10, 109]), Some("2002.1".into()))
    );
}
