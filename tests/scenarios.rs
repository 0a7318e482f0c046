//! Expert scenarios (`fixtures/scenarios`, issue #18): realistic repositories whose expected findings
//! were written down before magelint ran on them. Each scenario is copied into a temporary git
//! repository (`git add -A` honours its `.gitignore`, so `app/etc/env.php` is ignored as in a real
//! project) and linted the way users run it: `magelint check --format json .` with the default rule
//! selection and the scenario's own `.magelint.yaml`, if any. The set of (code, file, line) is
//! compared with `expected.txt` (format: fixtures/scenarios/README.md).
//!
//! `scenarios_match_the_expert_expectations` runs in the suite: every scenario must be right except
//! those in `NOT_YET` (each with why), and a `NOT_YET` scenario that becomes right fails the test
//! until its entry is removed. Read the table with
//!
//!     cargo test --test scenarios -- --nocapture
//!
//! `MAGELINT_SCENARIO=substring` runs only the matching scenarios; `MAGELINT_SCENARIOS_TABLE=FILE`
//! also writes the whole table (scenario → expected → got → verdict) as Markdown;
//! `MAGELINT_SCENARIOS_ARGS="--no-ignore"` adds arguments to `check` (to see what a flag changes).

mod common;

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rule codes that existed when the expectations were written. A `NEW:slug` expectation
/// without an entry in `NEW_CODES` is met by a finding of any code not in this list.
const CODES_WHEN_WRITTEN: &[&str] = &[
    "E000", "E001", "E002", "E003", "SCH001", "SCH002", "SCH003", "SCH004", "MS001", "MS002",
    "MS003", "MS004", "MS005", "MS006", "MS007", "MS008", "MS009", "MS010", "MS011", "MS012",
    "MS013", "MS014", "MS015", "MS016", "MS017", "MG001", "MG002", "MG003", "MG004", "MG005",
    "MG006", "MG007", "MG008", "ML001", "ML002", "ML003", "ML004", "YM001", "YM002", "YM003",
    "YM004",
];

/// `NEW:` slugs of `expected.txt` → the code of the rule that now reports them.
const NEW_CODES: &[(&str, &str)] = &[
    // MS007 (incomplete key pair) was extended to a sandbox selection without sandbox keys.
    ("sandbox-selected-without-sandbox-keys", "MS007"),
];

#[derive(Debug, Clone, PartialEq)]
enum Code {
    Known(String),
    New(String),
}

#[derive(Debug, Clone)]
struct Place {
    path: String,
    line: Option<u64>,
}

#[derive(Debug, Clone)]
struct Expected {
    code: Code,
    places: Vec<Place>,
    optional: bool,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    code: String,
    path: String,
    line: u64,
}

impl Finding {
    fn text(&self) -> String {
        format!("{} {}:{}", self.code, self.path, self.line)
    }
}

impl Expected {
    fn code_matches(&self, code: &str) -> bool {
        match &self.code {
            Code::Known(known) => known == code,
            Code::New(slug) => match NEW_CODES.iter().find(|(s, _)| s == slug) {
                Some((_, mapped)) => *mapped == code,
                None => !CODES_WHEN_WRITTEN.contains(&code),
            },
        }
    }

    fn matches(&self, finding: &Finding) -> bool {
        self.code_matches(&finding.code)
            && self.places.iter().any(|place| {
                place.path == finding.path && place.line.is_none_or(|line| line == finding.line)
            })
    }
}

fn parse_place(text: &str) -> Result<Place, String> {
    match text.rsplit_once(':') {
        Some((path, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
            let line = line.parse().map_err(|e| format!("line of `{text}`: {e}"))?;
            Ok(Place {
                path: path.to_string(),
                line: Some(line),
            })
        }
        _ => Ok(Place {
            path: text.to_string(),
            line: None,
        }),
    }
}

fn parse_expected(text: &str) -> Result<Vec<Expected>, String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (optional, rest) = match line.strip_prefix('?') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (code, places) = rest
            .split_once(' ')
            .ok_or_else(|| format!("`{line}`: want `CODE path[:line][|path[:line]...]`"))?;
        let code = match code.strip_prefix("NEW:") {
            Some(slug) if !slug.is_empty() => Code::New(slug.to_string()),
            Some(_) => return Err(format!("`{line}`: NEW: needs a slug")),
            None => Code::Known(code.to_string()),
        };
        let places = places
            .trim()
            .split('|')
            .map(parse_place)
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Expected {
            code,
            places,
            optional,
            text: line.to_string(),
        });
    }
    Ok(out)
}

fn scenarios_dir() -> PathBuf {
    common::root().join("fixtures/scenarios")
}

fn scenarios() -> Vec<PathBuf> {
    let filter = std::env::var("MAGELINT_SCENARIO").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("fixtures/scenarios")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .filter(|path| name(path).contains(&filter))
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=magelint scenarios"])
        .args(["-c", "user.email=scenarios@example.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The scenario as a committed git repository: what its `.gitignore` ignores stays untracked.
fn repository(scenario: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(scenario, dir.path());
    for own in ["README.md", "expected.txt"] {
        std::fs::remove_file(dir.path().join(own)).expect("scenario files");
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "scenario"]);
    dir
}

fn findings(repo: &Path) -> Result<Vec<Finding>, String> {
    let extra = std::env::var("MAGELINT_SCENARIOS_ARGS").unwrap_or_default();
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra.split_whitespace());
    args.push(".");
    let output = common::run_in(repo, &args);
    if output.code != 0 && output.code != 1 {
        return Err(format!("exit {}: {}", output.code, output.stderr.trim()));
    }
    let report: Value = serde_json::from_str(&output.stdout)
        .map_err(|e| format!("JSON report: {e}: {}", output.stderr.trim()))?;
    let diagnostics = report["diagnostics"]
        .as_array()
        .ok_or("the report has no diagnostics array")?;
    let mut out: Vec<Finding> = diagnostics
        .iter()
        .map(|d| {
            let path = d["location"]["path"].as_str().unwrap_or("(no location)");
            Finding {
                code: d["code"].as_str().unwrap_or("?").to_string(),
                path: path.strip_prefix("./").unwrap_or(path).to_string(),
                line: d["location"]["start"]["line"].as_u64().unwrap_or(0),
            }
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

struct Outcome {
    name: String,
    expected: Vec<Expected>,
    got: Vec<Finding>,
    missed: Vec<String>,
    false_alarms: Vec<String>,
    error: Option<String>,
}

impl Outcome {
    fn verdict(&self) -> &'static str {
        match (
            self.error.is_some(),
            self.missed.is_empty(),
            self.false_alarms.is_empty(),
        ) {
            (true, _, _) => "error",
            (false, true, true) => "right",
            (false, false, true) => "wrong: missed",
            (false, true, false) => "wrong: false alarm",
            (false, false, false) => "wrong: missed + false alarm",
        }
    }
}

fn run_scenario(dir: &Path) -> Outcome {
    let name = name(dir);
    let text = std::fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
    let expected = parse_expected(&text).unwrap_or_default();
    let repo = repository(dir);
    let (got, error) = match findings(repo.path()) {
        Ok(got) => (got, None),
        Err(error) => (Vec::new(), Some(error)),
    };
    let missed = expected
        .iter()
        .filter(|e| !e.optional && !got.iter().any(|f| e.matches(f)))
        .map(|e| e.text.clone())
        .collect();
    let false_alarms = got
        .iter()
        .filter(|f| !expected.iter().any(|e| e.matches(f)))
        .map(Finding::text)
        .collect();
    Outcome {
        name,
        expected,
        got,
        missed,
        false_alarms,
        error,
    }
}

fn cell(items: &[String]) -> String {
    if items.is_empty() {
        return "quiet".to_string();
    }
    items
        .iter()
        .map(|s| s.replace('|', "\\|"))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn table(outcomes: &[&Outcome]) -> String {
    let mut out = String::from("| scenario | expected | got | verdict |\n|---|---|---|---|\n");
    for o in outcomes {
        let expected: Vec<String> = o.expected.iter().map(|e| e.text.clone()).collect();
        let got: Vec<String> = match &o.error {
            Some(error) => vec![error.clone()],
            None => o.got.iter().map(Finding::text).collect(),
        };
        let mut verdict = o.verdict().to_string();
        for (label, items) in [("missed", &o.missed), ("false alarm", &o.false_alarms)] {
            if !items.is_empty() {
                let _ = write!(verdict, "<br>{label}: {}", cell(items));
            }
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            o.name,
            cell(&expected),
            cell(&got),
            verdict
        );
    }
    out
}

/// Scenarios magelint does not get right yet, with why. Keep this list short and honest.
const NOT_YET: &[(&str, &str)] = &[];

fn not_yet(name: &str) -> Option<&'static str> {
    NOT_YET
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, why)| *why)
}

#[test]
fn scenarios_match_the_expert_expectations() {
    let outcomes: Vec<Outcome> = scenarios().iter().map(|dir| run_scenario(dir)).collect();
    assert!(
        !outcomes.is_empty(),
        "no scenario matched MAGELINT_SCENARIO"
    );
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let whole = table(&all);
    if let Ok(file) = std::env::var("MAGELINT_SCENARIOS_TABLE") {
        std::fs::write(&file, &whole).expect("write the table");
    }
    let all_wrong = outcomes.iter().filter(|o| o.verdict() != "right").count();
    println!(
        "{whole}\n{} of {} scenarios right",
        outcomes.len() - all_wrong,
        outcomes.len()
    );
    let now_right: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.verdict() == "right" && not_yet(&o.name).is_some())
        .map(|o| o.name.as_str())
        .collect();
    assert!(
        now_right.is_empty(),
        "now right, remove from NOT_YET: {now_right:?}"
    );
    let wrong: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.verdict() != "right" && not_yet(&o.name).is_none())
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} scenarios wrong:\n{}",
        wrong.len(),
        outcomes.len(),
        table(&wrong)
    );
}

/// The scenarios themselves: every expectation parses and points at a file and line that exist,
/// every scenario tells its story, and enough of them must be quiet.
#[test]
fn every_scenario_is_well_formed() {
    let dirs = scenarios();
    let mut quiet = 0;
    for dir in &dirs {
        let name = name(dir);
        let readme = std::fs::read_to_string(dir.join("README.md"))
            .unwrap_or_else(|e| panic!("{name}/README.md: {e}"));
        let lines = readme.lines().filter(|l| !l.trim().is_empty()).count();
        assert!((2..=4).contains(&lines), "{name}/README.md: {lines} lines");
        let text = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap_or_else(|e| panic!("{name}/expected.txt: {e}"));
        let expected = parse_expected(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        if expected.iter().all(|e| e.optional) {
            quiet += 1;
        }
        for e in &expected {
            if let Code::Known(code) = &e.code {
                let new = NEW_CODES.iter().any(|(_, c)| c == code);
                assert!(
                    CODES_WHEN_WRITTEN.contains(&code.as_str()) || new,
                    "{name}: unknown code in `{}`",
                    e.text
                );
            }
            for place in &e.places {
                let file = std::fs::read_to_string(dir.join(&place.path))
                    .unwrap_or_else(|err| panic!("{name}: `{}`: {err}", e.text));
                if let Some(line) = place.line {
                    let count = file.lines().count() as u64;
                    assert!(
                        (1..=count).contains(&line),
                        "{name}: `{}` is past the end ({count} lines)",
                        e.text
                    );
                }
            }
        }
    }
    if std::env::var_os("MAGELINT_SCENARIO").is_none() {
        assert!(dirs.len() >= 45, "{} scenarios", dirs.len());
        assert!(
            quiet * 3 >= dirs.len(),
            "{quiet} of {} scenarios quiet: at least a third must be",
            dirs.len()
        );
    }
}

#[test]
fn expectations_parse_as_documented() {
    let parsed = parse_expected(
        "# comment\nMS001 app/etc/env.php:12\nMS002 a/config.php|b/config.php:3\n\
         ?ML003 app/etc/env.php\nNEW:sandbox-without-keys app/etc/env.staging.php:131\n",
    )
    .expect("parses");
    assert_eq!(parsed.len(), 4);
    assert_eq!(parsed[0].places[0].line, Some(12));
    assert_eq!(parsed[1].places.len(), 2);
    assert_eq!(parsed[1].places[0].line, None);
    assert!(parsed[2].optional);
    assert_eq!(parsed[3].code, Code::New("sandbox-without-keys".into()));
    let finding = |code: &str, path: &str, line| Finding {
        code: code.into(),
        path: path.into(),
        line,
    };
    assert!(parsed[1].matches(&finding("MS002", "b/config.php", 3)));
    assert!(!parsed[1].matches(&finding("MS002", "b/config.php", 4)));
    assert!(parsed[1].matches(&finding("MS002", "a/config.php", 40)));
    assert!(!parsed[0].matches(&finding("MS001", "app/etc/env.php", 13)));
    // A NEW: expectation is met by a code that did not exist when it was written, never by an old one.
    assert!(parsed[3].matches(&finding("MS018", "app/etc/env.staging.php", 131)));
    assert!(!parsed[3].matches(&finding("MS007", "app/etc/env.staging.php", 131)));
    // A slug mapped in NEW_CODES is met by its code only.
    let mapped =
        parse_expected("NEW:sandbox-selected-without-sandbox-keys app/etc/env.staging.php:131\n")
            .expect("parses");
    assert!(mapped[0].matches(&finding("MS007", "app/etc/env.staging.php", 131)));
    assert!(!mapped[0].matches(&finding("MS018", "app/etc/env.staging.php", 131)));
    assert!(parse_expected("MS001").is_err());
}
