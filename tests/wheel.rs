//! The Python wheel (pyproject.toml, maturin): it holds only the stripped `magelint` executable,
//! installs with pip from the file alone, and lints with no Rust toolchain on PATH; the README's
//! `language: python` pre-commit hook installs it and blocks a commit with an MS001.
//!
//! The wheel is built outside the test (`pip wheel --no-deps -w dist .`, as .ci/run does): the
//! tests are skipped without it, and fail under CI.

mod common;
mod wheel_support;

use magelint::syntax::{dump::to_json, yaml, Limits};
use serde_json::Value as Json;
use std::path::Path;
use wheel_support::{git, text, venv_with_wheel, wheel, without_rust, VERSION};

/// The names inside the wheel (a zip file), read by Python's zipfile.
fn wheel_entries(wheel: &Path) -> Vec<String> {
    let output = without_rust("python3")
        .args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(wheel)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", text(&output));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn wheel_holds_only_the_stripped_magelint_executable() {
    let Some(wheel) = wheel() else { return };
    let name = wheel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    assert!(
        name.starts_with(&format!("magelint-{VERSION}-py3-none-")),
        "a wheel for any Python 3 of one platform: {name}"
    );
    let entries = wheel_entries(&wheel);
    let data = format!("magelint-{VERSION}.data/");
    let info = format!("magelint-{VERSION}.dist-info/");
    let payload: Vec<&String> = entries.iter().filter(|e| !e.starts_with(&info)).collect();
    assert_eq!(
        payload,
        [&format!("{data}scripts/magelint")],
        "the wheel installs the magelint executable and nothing else: {entries:?}"
    );
    for needed in ["METADATA", "WHEEL", "RECORD"] {
        assert!(entries.contains(&format!("{info}{needed}")), "{entries:?}");
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let bin = venv_with_wheel(dir.path(), &wheel);
    let executable = std::fs::read(bin.join("magelint")).expect("installed magelint");
    // Stripped: the ELF symbol table (`.symtab`, named in the section-name table) is gone.
    #[cfg(target_os = "linux")]
    assert!(
        executable.starts_with(b"\x7fELF")
            && !executable
                .windows(b".symtab".len())
                .any(|w| w == b".symtab"),
        "the wheel's magelint is not a stripped ELF executable"
    );
    eprintln!(
        "{name}: {} bytes; magelint {} bytes",
        std::fs::metadata(&wheel).map(|m| m.len()).unwrap_or(0),
        executable.len()
    );
}

#[test]
fn installed_wheel_lints_the_demo_without_a_rust_toolchain() {
    let Some(wheel) = wheel() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = venv_with_wheel(dir.path(), &wheel);
    let version = without_rust(bin.join("magelint"))
        .arg("--version")
        .output()
        .expect("magelint runs");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("magelint {VERSION}")
    );
    let args = ["check", "--format", "concise", "fixtures/demo"];
    let installed = without_rust(bin.join("magelint"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("magelint runs");
    let built = common::run(&args);
    assert_eq!(installed.status.code(), Some(1), "{}", text(&installed));
    let report = String::from_utf8_lossy(&installed.stdout);
    assert!(
        report.contains("MS001") && report.contains("Found 7 errors, 1 warning in 10 files."),
        "{report}"
    );
    assert_eq!(
        report, built.stdout,
        "the wheel's magelint reports what the tested build reports"
    );
}

/// The `.pre-commit-config.yaml` the README gives for the `language: python` hook.
fn readme_python_hook_config() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let blocks: Vec<&str> = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.contains("language: python"))
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "README.md has one yaml block with the `language: python` hook"
    );
    blocks[0].to_owned()
}

fn yaml_json(source: &str) -> Json {
    let doc = yaml::parse(source, &Limits::default()).expect("valid YAML");
    to_json(&doc.root)
}

/// The README's python hook pins this version and runs what the `language: rust` hook of
/// .pre-commit-hooks.yaml runs, on the same files.
#[test]
fn readme_python_hook_matches_the_rust_hook() {
    let config = yaml_json(&readme_python_hook_config());
    let hook = &config["repos"][0]["hooks"][0];
    assert_eq!(config["repos"][0]["repo"], "local", "{config}");
    assert_eq!(hook["language"], "python");
    assert_eq!(
        hook["additional_dependencies"],
        serde_json::json!([format!("magelint=={VERSION}")]),
        "the README pins the current version"
    );
    let hooks = std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml");
    let rust = &yaml_json(&hooks)[0];
    assert_eq!(rust["language"], "rust");
    for key in ["id", "entry", "pass_filenames", "require_serial", "files"] {
        assert_eq!(hook[key], rust[key], "{key}");
    }
}

/// `pre-commit` from PATH, or None (skipped) when it is not installed; CI installs it.
fn pre_commit_available() -> bool {
    let found = std::process::Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not installed (pip install pre-commit)"
        );
        eprintln!("skipped: pre-commit is not installed");
    }
    found
}

/// A git repository with the README's hook installed as the pre-commit git hook, and `fixture`
/// copied in (not committed).
fn repository_with_hook(fixture: &str, pre_commit_home: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = git(dir.path(), &["init", "-q"]);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::write(
        dir.path().join(".pre-commit-config.yaml"),
        readme_python_hook_config(),
    )
    .expect("write config");
    common::copy_dir(&common::root().join(fixture), dir.path());
    let installed = pre_commit(dir.path(), pre_commit_home, &["install"]);
    assert!(installed.status.success(), "{}", text(&installed));
    dir
}

/// Where pip may look, with the index turned off: the wheel's directory, and the wheels
/// virtualenv (which pre-commit makes its environments with) carries. A `repo: local` python
/// hook's environment also installs pre-commit's placeholder package, built with setuptools,
/// which pip would otherwise fetch from the index; magelint itself can come only from the wheel.
fn find_links() -> String {
    let output = without_rust("python3")
        .args([
            "-c",
            "import os, virtualenv.seed.wheels.embed as e; print(os.path.dirname(e.__file__))",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "virtualenv (a dependency of pre-commit) is importable: {}",
        text(&output)
    );
    let embedded = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    format!("{} {embedded}", wheel_support::wheel_dir().display())
}

/// Runs `pre-commit ARGS` where only the wheel can satisfy pip and no Rust toolchain exists.
fn pre_commit(repo: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    without_rust("pre-commit")
        .args(args)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home)
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", find_links())
        .output()
        .expect("pre-commit runs")
}

fn commit(repo: &Path, home: &Path) -> std::process::Output {
    let added = git(repo, &["add", "-A"]);
    assert!(added.status.success(), "{}", text(&added));
    // The git hook pre-commit installed runs the README's hook.
    without_rust("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(["commit", "-q", "-m", "configuration"])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home)
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", find_links())
        .output()
        .expect("git commit runs")
}

#[test]
fn python_pre_commit_hook_installs_the_wheel_and_blocks_an_ms001_commit() {
    let Some(_wheel) = wheel() else { return };
    if !pre_commit_available() {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");

    let bad = repository_with_hook("fixtures/rules/MS001/fires", home.path());
    let refused = commit(bad.path(), home.path());
    let output = text(&refused);
    assert!(
        !refused.status.success(),
        "the commit of a staging env file on the production data space must be refused:\n{output}"
    );
    assert!(output.contains("MS001"), "{output}");
    let head = git(bad.path(), &["rev-parse", "--verify", "-q", "HEAD"]);
    assert!(!head.status.success(), "nothing was committed");
    let run = pre_commit(bad.path(), home.path(), &["run", "--all-files"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));

    let clean = repository_with_hook("fixtures/rules/MS001/quiet", home.path());
    let accepted = commit(clean.path(), home.path());
    assert!(
        accepted.status.success(),
        "a clean commit passes:\n{}",
        text(&accepted)
    );
    let run = pre_commit(clean.path(), home.path(), &["run", "--all-files"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(
        text(&run).contains("magelint") && text(&run).contains("Passed"),
        "{}",
        text(&run)
    );

    // A developer's own env.php, ignored by git, on the Production data space in developer
    // mode: MS001 for `magelint check`, but not in the commit, so it never blocks one.
    let local = repository_with_hook("fixtures/git/local-env", home.path());
    let accepted = commit(local.path(), home.path());
    assert!(
        accepted.status.success(),
        "an ignored env file must not block the commit:\n{}",
        text(&accepted)
    );
    let check = common::run_in(local.path(), &["check", "--format", "concise", "."]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("MS001"), "{}", check.stdout);
}
