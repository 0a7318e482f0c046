//! The real `pre-commit` (PyPI) runs the hook of `.pre-commit-hooks.yaml` with `try-repo` on a
//! temporary git repository: a bad commit fails, a clean one passes. It builds magelint with
//! `cargo install` as pre-commit's `language: rust` does, so it runs under CI (or when
//! MAGELINT_PRE_COMMIT_TEST is set) and is skipped otherwise.

mod common;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A git repository holding a copy of `fixture`, committed.
fn repository(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&common::root().join(fixture), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "fixture"]);
    dir
}

fn try_repo(repo: &Path, home: &Path) -> (i32, String) {
    let output = Command::new("pre-commit")
        .args([
            "try-repo",
            common::root().to_str().expect("utf-8 root"),
            "magelint",
            "--all-files",
            "--verbose",
        ])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        // pre-commit builds with `cargo install`; a target dir of its own avoids waiting on the
        // lock of the build running this test.
        .env("CARGO_TARGET_DIR", common::root().join("target/pre-commit"))
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("pre-commit runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn pre_commit_hook_fails_a_bad_commit_and_passes_a_clean_one() {
    let wanted =
        std::env::var_os("CI").is_some() || std::env::var_os("MAGELINT_PRE_COMMIT_TEST").is_some();
    if !wanted {
        eprintln!("skipped: set CI or MAGELINT_PRE_COMMIT_TEST to run the real pre-commit (it builds magelint)");
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let bad = repository("fixtures/rules/MS001/fires");
    let (code, text) = try_repo(bad.path(), home.path());
    assert_eq!(
        code, 1,
        "the hook must fail on a staging env file on the production data space:\n{text}"
    );
    assert!(text.contains("MS001"), "{text}");
    let clean = repository("fixtures/rules/MS001/quiet");
    let (code, text) = try_repo(clean.path(), home.path());
    assert_eq!(code, 0, "the hook must pass a clean repository:\n{text}");
}

/// The hook lints what the commit holds: a developer's own env.php, ignored by git, on the
/// Production data space in developer mode is MS001 for `magelint check .`, and never blocks a
/// commit (the hook's `--committed-only`).
#[test]
fn pre_commit_hook_passes_a_commit_beside_an_ignored_env_file() {
    let wanted =
        std::env::var_os("CI").is_some() || std::env::var_os("MAGELINT_PRE_COMMIT_TEST").is_some();
    if !wanted {
        eprintln!("skipped: set CI or MAGELINT_PRE_COMMIT_TEST to run the real pre-commit (it builds magelint)");
        return;
    }
    let repo = repository("fixtures/git/local-env");
    assert!(
        repo.path().join("app/etc/env.php").is_file(),
        "the local env file is there, ignored"
    );
    let check = common::run_in(repo.path(), &["check", "--format", "concise", "."]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("app/etc/env.php") && check.stdout.contains("MS001"),
        "{}",
        check.stdout
    );
    let home = tempfile::tempdir().expect("tempdir");
    let (code, text) = try_repo(repo.path(), home.path());
    assert_eq!(
        code, 0,
        "an ignored env file must not block the commit:\n{text}"
    );
}
