//! The editor's workspace engine (per-file results kept, installations resolved again only
//! where a file changed, a report on the open files only) against the plain definition: a
//! whole `lint` of the same files, restricted to the same file. After loading, and after every
//! one of a series of edits on disk, both must report the same findings on every file.

mod common;

use magelint::diagnostic::Diagnostic;
use magelint::lint::lint;
use magelint::options::LintOptions;
use magelint::run::Report;
use magelint::select::Selection;
use magelint::workspace::Workspace;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn options(root: &Path) -> LintOptions {
    LintOptions {
        paths: vec![root.to_path_buf()],
        base_dir: root.to_path_buf(),
        selection: Selection {
            select: vec!["ALL".into()],
            ..Selection::default()
        },
        ..LintOptions::default()
    }
}

/// A finding as a person sees it: where (by path), what, and why.
fn shown(report: &Report, d: &Diagnostic) -> String {
    let path = |file: usize| {
        report
            .files
            .get(file)
            .map_or("?".to_string(), |f| f.display_path.clone())
    };
    let related: Vec<String> = d
        .related
        .iter()
        .map(|r| {
            format!(
                "{}@{}: {}",
                path(r.location.file),
                r.location.span.start,
                r.message
            )
        })
        .collect();
    format!(
        "{} {} {}..{} {} {} | {}",
        d.code(),
        path(d.location.file),
        d.location.span.start,
        d.location.span.end,
        d.severity,
        d.message,
        related.join("; ")
    )
}

/// Every file's findings by a whole `lint`.
fn batch(root: &Path) -> BTreeMap<String, Vec<String>> {
    let report = lint(&options(root));
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &report.diagnostics {
        let path = report.files[d.location.file].display_path.clone();
        by_file.entry(path).or_default().push(shown(&report, d));
    }
    by_file
}

/// Every file's findings by the workspace, one report per file (as one open document each).
fn incremental(workspace: &mut Workspace, paths: &[PathBuf]) -> BTreeMap<String, Vec<String>> {
    let mut by_file = BTreeMap::new();
    for path in paths {
        let Some(id) = workspace.file_id(path) else {
            continue;
        };
        let report = workspace.report(&[id]);
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| shown(&report, d))
            .collect();
        if !found.is_empty() {
            by_file.insert(report.files[id].display_path.clone(), found);
        }
        workspace.keep(report);
    }
    by_file
}

fn config_files(root: &Path) -> Vec<PathBuf> {
    let (sources, _) = magelint::sources::discover_sources(&options(root));
    sources
        .into_iter()
        .map(|s| s.path)
        .filter(|p| !repetitive(p))
        .collect()
}

/// A copy of fixtures/ without the repetitive parity cases (the directory lives as long as the
/// guard).
fn fixtures_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    common::copy_dir(&common::root().join("fixtures"), &root);
    for case in std::fs::read_dir(root.join("ece-tools/parity")).expect("parity cases") {
        let case = case.expect("entry").path();
        if repetitive(&case.join(".magento.env.yaml")) {
            std::fs::remove_dir_all(&case).expect("remove");
        }
    }
    (dir, root)
}

/// The parity cases of fixtures/ece-tools/parity (hundreds of one-variable files, which
/// tests/ece_parity.rs covers) but those about the generation: a few stand for all here.
fn repetitive(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.contains("ece-tools/parity/") && !text.contains("/schema-gen-")
}

fn assert_same(
    step: &str,
    want: &BTreeMap<String, Vec<String>>,
    got: &BTreeMap<String, Vec<String>>,
) {
    for path in want.keys().chain(got.keys()) {
        assert_eq!(
            want.get(path),
            got.get(path),
            "{step}: {path} differs (left: whole lint, right: workspace)"
        );
    }
}

#[test]
fn the_workspace_reports_what_a_whole_lint_reports_after_every_edit() {
    let (_dir, root) = fixtures_copy();
    let paths = config_files(&root);
    assert!(paths.len() > 150, "{}", paths.len());
    let mut workspace = Workspace::load(options(&root), &HashMap::new());
    let want = batch(&root);
    assert!(
        want.len() > 40,
        "a tree with findings is needed: {}",
        want.len()
    );
    assert_same("loaded", &want, &incremental(&mut workspace, &paths));

    // Edits on disk, each read by the workspace as a watched-file change would: renames that
    // make and break website-code collisions across installations, a data space moved, a
    // file broken and mended (grouping changes), a file deleted and one created.
    let demo = root.join("demo/sites");
    let us_config = demo.join("us/app/etc/config.php");
    let eu_staging = demo.join("eu/app/etc/env.staging.php");
    let edit = |path: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).expect("fixture");
        assert!(text.contains(from), "{}: {from}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    };
    // Cloud projects: a service renamed in .magento/services.yaml (EC051), Magento upgraded in
    // composer.lock (EC057): findings that join files other than config.php and env files.
    let services = root.join("rules/EC051/fires/.magento/services.yaml");
    let lock = root.join("rules/EC057/quiet/composer.lock");
    let original_us = std::fs::read_to_string(&us_config).expect("fixture");
    // A site made of a compose file, and env files joining it.
    let compose_dir = root.join("rules/MS001/fires-compose");
    let compose = compose_dir.join("docker-compose.yml");
    let staging_env = compose_dir.join(".env.staging");
    // The ece-tools release composer.lock pins decides which .magento.env.yaml variables exist
    // (USE_LUA: 2002.1.19 and later), beside an installation and outside one.
    let parity = root.join("ece-tools/parity");
    let lock_alone = parity.join("schema-gen-2002-1-17-use-lua/composer.lock");
    let lock_installed = parity.join("schema-gen-installation-2002-1-17-use-lua/composer.lock");
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step> = vec![
        (
            "us website renamed",
            Box::new(|| edit(&us_config, "'base'", "'us_main'")),
        ),
        (
            "staging on another data space",
            Box::new(|| edit(&eu_staging, "000000000001", "000000000009")),
        ),
        (
            "us config.php broken",
            Box::new(|| std::fs::write(&us_config, "<?php return [").expect("write")),
        ),
        (
            "us config.php mended",
            Box::new(|| std::fs::write(&us_config, &original_us).expect("write")),
        ),
        (
            "staging deleted",
            Box::new(|| std::fs::remove_file(&eu_staging).expect("delete")),
        ),
        (
            "compose data space moved",
            Box::new(|| edit(&compose, "000000000001", "000000000009")),
        ),
        (
            "staging env file created",
            Box::new(|| {
                let text = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID=8eb8e3be-728d-4dea-8875-000000000001\n";
                std::fs::write(&staging_env, text).expect("write")
            }),
        ),
        (
            "compose in production mode, named for nothing",
            Box::new(|| edit(&compose, "MAGE_MODE: developer", "MAGE_MODE: production")),
        ),
        (
            "compose file broken",
            Box::new(|| edit(&compose, "services:", "services: [")),
        ),
        (
            "composer.lock pins ece-tools 2002.2.13",
            Box::new(|| edit(&lock_alone, "2002.1.17", "2002.2.13")),
        ),
        (
            "an installation's composer.lock pins ece-tools 2002.2.13",
            Box::new(|| edit(&lock_installed, "2002.1.17", "2002.2.13")),
        ),
        (
            "an installation's composer.lock pins ece-tools 2002.1.17 again",
            Box::new(|| edit(&lock_installed, "2002.2.13", "2002.1.17")),
        ),
        (
            "cloud service renamed",
            Box::new(|| edit(&services, "cache:", "redis:")),
        ),
        (
            "magento upgraded in composer.lock",
            Box::new(|| edit(&lock, "\"2.3.7-p4\"", "\"2.4.0\"")),
        ),
        (
            "uat created",
            Box::new(|| {
                let text =
                    std::fs::read_to_string(demo.join("eu/app/etc/env.php")).expect("fixture");
                std::fs::write(demo.join("eu/app/etc/env.uat.php"), text).expect("write")
            }),
        ),
    ];
    let use_lua = |findings: &BTreeMap<String, Vec<String>>, case: &str| {
        let path = format!("ece-tools/parity/{case}/.magento.env.yaml");
        findings
            .get(&path)
            .is_some_and(|f| f.iter().any(|d| d.contains("`USE_LUA`")))
    };
    let mut verdicts = Vec::new();
    for (step, apply) in steps {
        apply();
        // What a watched-file event does: every touched path read again or forgotten.
        for path in [
            &us_config,
            &eu_staging,
            &demo.join("eu/app/etc/env.uat.php"),
            &compose,
            &staging_env,
            &lock_alone,
            &lock_installed,
            &services,
            &lock,
        ] {
            if path.is_file() {
                workspace.set_text(path, None);
            } else {
                workspace.remove(path);
            }
        }
        let paths = config_files(&root);
        let got = incremental(&mut workspace, &paths);
        assert_same(step, &batch(&root), &got);
        verdicts.push((
            step,
            use_lua(&got, "schema-gen-2002-1-17-use-lua"),
            use_lua(&got, "schema-gen-installation-2002-1-17-use-lua"),
        ));
    }
    // The edits of composer.lock changed the verdicts (so the comparison above covered it).
    let first = verdicts
        .iter()
        .position(|(step, ..)| step.starts_with("composer.lock pins"))
        .expect("the composer.lock steps ran");
    let seen: Vec<(bool, bool)> = verdicts[first - 1..first + 3]
        .iter()
        .map(|&(_, alone, installed)| (alone, installed))
        .collect();
    assert_eq!(
        seen,
        [(true, true), (false, true), (false, false), (false, true)]
    );
}

/// `check --stdin-filename` (one buffer, site rules on the buffer's sites only) against the
/// whole lint of the same files, restricted to that file: the same findings for every file.
#[test]
fn a_buffer_linted_alone_reports_what_the_whole_lint_reports_on_it() {
    let (_dir, root) = fixtures_copy();
    let want = batch(&root);
    let mut compared = 0;
    for path in config_files(&root) {
        // (A file that is not UTF-8 is E003's business, read from disk only.)
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let report = magelint::lint::lint_text(&path, text, &options(&root));
        let got: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| shown(&report, d))
            .collect();
        let display = magelint::sources::display_path(&path, &root);
        let expected = want.get(&display).cloned().unwrap_or_default();
        assert_eq!(expected, got, "{display}");
        compared += 1;
    }
    assert!(compared >= 150, "{compared}");
}

/// An env file git ignores is a site of the editor's fleet too (its MS001 is reported, its
/// clear-text keys are no MS008: never committed); added to git, it is judged as committed at
/// the next rescan. Both as the whole lint says.
#[test]
fn the_workspace_sees_ignored_env_files_and_follows_their_git_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    common::copy_dir(&common::root().join("fixtures/git/local-env"), &root);
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&root)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "fixture"]);
    let paths = config_files(&root);
    let env = root.join("app/etc/env.php");
    assert!(paths.contains(&env), "{paths:?}");
    let mut workspace = Workspace::load(options(&root), &HashMap::new());
    let codes = |found: &BTreeMap<String, Vec<String>>| -> Vec<String> {
        let on_env = found.get("app/etc/env.php").cloned().unwrap_or_default();
        on_env.iter().map(|f| f[..5].to_string()).collect()
    };
    let want = batch(&root);
    assert_eq!(codes(&want), ["MS001"], "{want:?}");
    assert_same("ignored", &want, &incremental(&mut workspace, &paths));

    git(&["add", "-f", "app/etc/env.php"]);
    workspace.rescan(&|_| false);
    let want = batch(&root);
    assert_eq!(codes(&want), ["MS001", "MS008", "MS008"], "{want:?}");
    assert_same("tracked", &want, &incremental(&mut workspace, &paths));
}
