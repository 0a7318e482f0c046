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
    sources.into_iter().map(|s| s.path).collect()
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
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    common::copy_dir(&common::root().join("fixtures"), &root);
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
    for (step, apply) in steps {
        apply();
        // What a watched-file event does: every touched path read again or forgotten.
        for path in [
            &us_config,
            &eu_staging,
            &demo.join("eu/app/etc/env.uat.php"),
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
        assert_same(step, &batch(&root), &incremental(&mut workspace, &paths));
    }
}

/// `check --stdin-filename` (one buffer, site rules on the buffer's sites only) against the
/// whole lint of the same files, restricted to that file: the same findings for every file.
#[test]
fn a_buffer_linted_alone_reports_what_the_whole_lint_reports_on_it() {
    let root = std::fs::canonicalize(common::root().join("fixtures")).expect("fixture");
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
