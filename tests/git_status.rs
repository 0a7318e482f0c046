//! Files git ignores: a Magento config file is read by its name even when `.gitignore` lists it
//! (Magento's own lists `app/etc/env.php`, the local site), ignored directories are not walked,
//! rules about what a repository holds (MS008, MS009, MS017) skip ignored files, and
//! `--committed-only` leaves them out. The fixtures under fixtures/git/ live in magelint's own
//! repository (where they are tracked), so each test copies one into a repository of its own.

mod common;
use common::{root, run_in, Output};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
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

/// A copy of `fixture`, outside any repository.
fn copy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&root().join(fixture), dir.path());
    dir
}

/// A copy of `fixture` as a git repository with everything `git add -A` takes committed.
fn repository(fixture: &str) -> tempfile::TempDir {
    let dir = copy(fixture);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "fixture"]);
    dir
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// `code@path` of every finding.
fn findings(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}@{}",
                d["code"].as_str().unwrap_or("?"),
                d["location"]["path"]
            )
        })
        .collect()
}

/// `path: status` of every file of the report.
fn statuses(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["path"].as_str().unwrap_or("?"),
                f["git"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

fn check_json(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let out = run_in(dir, &args);
    (json(&out), out.code)
}

#[test]
fn an_ignored_local_env_file_is_the_site_but_never_a_committed_secret() {
    let repo = repository("fixtures/git/local-env");
    let (report, code) = check_json(repo.path(), &[]);
    assert_eq!(code, 1, "{report}");
    // MS001 on the ignored env.php; its clear-text keys are no MS008 (never committed); the
    // backup in the ignored directory is not walked.
    assert_eq!(findings(&report), ["MS001@\"app/etc/env.php\""], "{report}");
    assert_eq!(
        statuses(&report),
        [
            "app/etc/config.php: tracked",
            "app/etc/env.php: ignored",
            "composer.json: tracked"
        ]
    );
    let full = run_in(repo.path(), &["check", "--format", "full", "."]);
    insta::assert_snapshot!("local_env_check", full.stdout);
    // A suppression of MS008 in the ignored file is moot there, not unused (no ML001): it
    // counts again once the file is committed.
    let env = repo.path().join("app/etc/env.php");
    let text = std::fs::read_to_string(&env).expect("env.php");
    let suppressed = text.replace(
        "                    'production_api_key'",
        "                    // magelint-ignore MS008: a local sandbox key\n                    'production_api_key'",
    );
    assert_ne!(suppressed, text);
    std::fs::write(&env, suppressed).expect("write");
    let (with_comment, _) = check_json(repo.path(), &[]);
    assert_eq!(findings(&with_comment), findings(&report), "{with_comment}");
    std::fs::write(&env, text).expect("write");
    // The same tree outside any repository: the .gitignore still says what git would ignore.
    let plain = copy("fixtures/git/local-env");
    let (outside, _) = check_json(plain.path(), &[]);
    assert_eq!(findings(&outside), findings(&report));
    assert_eq!(
        statuses(&outside),
        [
            "app/etc/config.php: untracked",
            "app/etc/env.php: ignored",
            "composer.json: untracked"
        ]
    );
}

#[test]
fn a_tracked_env_file_is_committed_whatever_gitignore_says() {
    let repo = repository("fixtures/git/local-env");
    git(repo.path(), &["add", "-f", "app/etc/env.php"]);
    let (report, _) = check_json(repo.path(), &[]);
    assert_eq!(
        findings(&report),
        [
            "MS001@\"app/etc/env.php\"",
            "MS008@\"app/etc/env.php\"",
            "MS008@\"app/etc/env.php\""
        ],
        "{report}"
    );
    assert!(statuses(&report).contains(&"app/etc/env.php: tracked".to_string()));
    // An untracked file that git would take is committable: judged as committed.
    git(repo.path(), &["rm", "-q", "--cached", "app/etc/env.php"]);
    std::fs::create_dir_all(repo.path().join("docker")).expect("mkdir");
    std::fs::copy(
        repo.path().join("app/etc/env.php"),
        repo.path().join("docker/env.php"),
    )
    .expect("copy");
    let (report, _) = check_json(repo.path(), &[]);
    assert!(
        statuses(&report).contains(&"docker/env.php: untracked".to_string()),
        "{report}"
    );
    let committed: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| f.starts_with("MS008"))
        .collect();
    assert_eq!(committed, ["MS008@\"docker/env.php\""; 2], "{report}");
}

#[test]
fn committed_only_leaves_ignored_files_out_as_sites_too() {
    let repo = repository("fixtures/git/local-env");
    let out = run_in(
        repo.path(),
        &["check", "--committed-only", "--format", "full", "."],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!("local_env_committed_only", out.stdout);
    let (report, _) = check_json(repo.path(), &["--committed-only"]);
    assert_eq!(
        statuses(&report),
        ["app/etc/config.php: tracked", "composer.json: tracked"]
    );
    // Named on the command line, an ignored file is left out all the same.
    let named = run_in(
        repo.path(),
        &[
            "check",
            "--committed-only",
            "--format",
            "concise",
            "app/etc/env.php",
        ],
    );
    assert_eq!(named.code, 0, "{}", named.stdout);
    assert!(named.stdout.contains("(0 files)"), "{}", named.stdout);
    // And as an editor's buffer: its findings without the flag, none with it.
    let text = std::fs::read_to_string(repo.path().join("app/etc/env.php")).expect("env.php");
    let buffer = |extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_magelint"))
            .args([
                "check",
                "--format",
                "concise",
                "--stdin-filename",
                "app/etc/env.php",
            ])
            .args(extra)
            .current_dir(repo.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("magelint runs");
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write stdin");
        drop(stdin);
        let output = child.wait_with_output().expect("magelint ends");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let found = buffer(&[]);
    assert!(
        found.contains("MS001") && !found.contains("MS008"),
        "{found}"
    );
    let found = buffer(&["--committed-only"]);
    assert!(found.contains("(0 files)"), "{found}");

    // A footprint speaks for the repository: the local env file is not in it.
    let footprint = run_in(repo.path(), &["footprint", "."]);
    assert_eq!(footprint.code, 0, "{}", footprint.stderr);
    assert!(
        footprint.stdout.contains("app/etc/config.php"),
        "{}",
        footprint.stdout
    );
    assert!(
        !footprint.stdout.contains("env.php"),
        "{}",
        footprint.stdout
    );

    // A committed config.php on the Production data space is MS001 only because a local
    // env.php says developer mode: no commit gate may depend on that file, so with
    // --committed-only the finding goes with it; MS017 is about config.php itself and stays.
    let repo = repository("fixtures/git/config-pins-space");
    let select = ["--select", "MS001,MS017"];
    let (report, _) = check_json(repo.path(), &select);
    assert_eq!(
        findings(&report),
        [
            "MS001@\"app/etc/config.php\"",
            "MS017@\"app/etc/config.php\""
        ],
        "{report}"
    );
    let full = run_in(
        repo.path(),
        &["check", "--format", "full", "--select", "MS001,MS017", "."],
    );
    insta::assert_snapshot!("config_pins_space_check", full.stdout);
    let (report, _) = check_json(repo.path(), &[&select[..], &["--committed-only"]].concat());
    assert_eq!(
        findings(&report),
        ["MS017@\"app/etc/config.php\""],
        "{report}"
    );
}

#[test]
fn no_ignore_walks_ignored_directories_and_keeps_the_statuses() {
    let repo = repository("fixtures/git/local-env");
    let (report, _) = check_json(repo.path(), &["--no-ignore"]);
    assert_eq!(
        findings(&report),
        [
            "MS001@\"app/etc/env.php\"",
            "MS001@\"backups/app/etc/env.php\""
        ],
        "{report}"
    );
    assert!(
        statuses(&report).contains(&"backups/app/etc/env.php: ignored".to_string()),
        "{report}"
    );
}

#[test]
fn an_ignored_directory_with_a_config_file_name_is_not_walked() {
    let repo = repository("fixtures/git/local-env");
    // Directory names the walk whitelists as file names: still not entered when ignored.
    for dir in ["env.old", "config.d"] {
        let etc = repo.path().join(dir).join("app/etc");
        std::fs::create_dir_all(&etc).expect("mkdir");
        std::fs::copy(
            repo.path().join("backups/app/etc/env.php"),
            etc.join("env.php"),
        )
        .expect("copy");
    }
    let gitignore = repo.path().join(".gitignore");
    let mut text = std::fs::read_to_string(&gitignore).expect(".gitignore");
    text.push_str("/env.old/\nconfig.d\n");
    std::fs::write(&gitignore, text).expect("write");
    let (report, _) = check_json(repo.path(), &[]);
    assert_eq!(findings(&report), ["MS001@\"app/etc/env.php\""], "{report}");
    // A `.ignore` file (the walk's own, not git's) still excludes a config file.
    std::fs::write(repo.path().join(".ignore"), "/app/etc/env.php\n").expect("write");
    let (report, _) = check_json(repo.path(), &[]);
    // The config.php-only site uses no Services, so nothing is reported; the files say the
    // env file was left out.
    assert!(findings(&report).is_empty(), "{report}");
    assert_eq!(
        statuses(&report),
        ["app/etc/config.php: tracked", "composer.json: tracked"]
    );
}

#[test]
fn the_json_report_lists_each_file_with_its_status_as_the_schema_says() {
    let repo = repository("fixtures/git/local-env");
    std::fs::write(
        repo.path().join(".magento.env.yaml"),
        "stage:\n  deploy:\n    SCD_THREADS: 2\n",
    )
    .expect("write");
    let (report, _) = check_json(repo.path(), &[]);
    assert_eq!(
        statuses(&report),
        [
            ".magento.env.yaml: untracked",
            "app/etc/config.php: tracked",
            "app/etc/env.php: ignored",
            "composer.json: tracked"
        ]
    );
    let text = std::fs::read_to_string(root().join("schemas/magelint-output.schema.json"))
        .expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut broken = report.clone();
    broken["files"][0]["git"] = "committed".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn a_file_forced_into_git_under_an_ignored_directory_is_walked() {
    // `/app/` ignored, config.php forced in: git tracks it, so the walk enters app/ for it (and
    // reads the ignored env.php there by name); the ignored backups/ holds nothing git tracks.
    let repo = copy("fixtures/git/local-env");
    std::fs::write(repo.path().join(".gitignore"), "/app/\n/backups/\n").expect("write");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["add", "-f", "app/etc/config.php"]);
    git(repo.path(), &["commit", "-q", "-m", "fixture"]);
    let (report, _) = check_json(repo.path(), &[]);
    assert_eq!(
        statuses(&report),
        [
            "app/etc/config.php: tracked",
            "app/etc/env.php: ignored",
            "composer.json: tracked"
        ],
        "{report}"
    );
    assert_eq!(findings(&report), ["MS001@\"app/etc/env.php\""], "{report}");
}
