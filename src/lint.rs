//! The engine's orchestration: discover → per-file stage → fleet stage → suppress → baseline →
//! sort, one pipeline for `check`, `check --stdin-filename`, `footprint` and the editor
//! (`workspace`, which keeps the per-file results between edits).

use crate::check::{self, enabled_rules, in_worker_pool};
use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::discover::{FileKind, Format, SourcePath};
use crate::options::LintOptions;
use crate::rules::{self, Registered};
use crate::run::{Input, Report};
use crate::syntax::{LineIndex, Span};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use crate::check::file::parse;
pub use crate::options::{Exclude, DEFAULT_MAX_FILE_SIZE, MAX_DEPTH_CEILING};
pub use crate::read::read_text;
pub use crate::run::SourceFile;
pub use crate::sources::{discover_sources, display_path};
pub use crate::timings::Timings;

/// Lints the paths of `options`.
pub fn lint(options: &LintOptions) -> Report {
    let mut timings = Timings::from_env();
    let (mut report, problems) = check_paths(options);
    timings.lap("read, parse, file rules");
    let fleet = resolve(&report.files, &options.base_dir);
    let rules = enabled_rules(options);
    report
        .diagnostics
        .extend(check::fleet::check(&fleet, &rules, &|_| true));
    report.sites = fleet.sites.len();
    report.ece_tools = check::env_yaml::summaries(&fleet);
    drop(fleet);
    timings.lap("resolve, site and fleet rules");
    report.diagnostics.extend(problems);
    read_back(&mut report, options);
    finish(&mut report, options);
    timings.lap("read back, suppress, sort");
    report
}

/// `lint`, and the map of the fleet with the report's findings on it (`magelint map`, and
/// `check`'s CI summary): the same stages, the same model, the same finished findings.
pub fn lint_and_map(options: &LintOptions) -> (Report, crate::map::FleetMap) {
    let (mut report, problems) = check_paths(options);
    let fleet = resolve(&report.files, &options.base_dir);
    let rules = enabled_rules(options);
    let found = check::fleet::check_attributed(&fleet, &rules, &|_| true);
    let builder = crate::map::Builder::new(&fleet, &found);
    report
        .diagnostics
        .extend(found.into_iter().map(|(_, diagnostic)| diagnostic));
    report.sites = fleet.sites.len();
    report.ece_tools = check::env_yaml::summaries(&fleet);
    drop(fleet);
    report.diagnostics.extend(problems);
    read_back(&mut report, options);
    finish(&mut report, options);
    let map = builder.finish(&report);
    (report, map)
}

/// The model of `files`, resolved on the checking pool: its parallel steps then run on the
/// threads the per-file stage warmed, not on a second pool started for them.
fn resolve<'a>(files: &'a [SourceFile], base: &Path) -> crate::model::Fleet<'a> {
    in_worker_pool(|| crate::model::resolve(files, base))
}

/// The per-file stage over the walk of `options`: the report so far, and the walk problems
/// (E003 on a file-less entry each) to add once the fleet stage has run.
fn check_paths(options: &LintOptions) -> (Report, Vec<Diagnostic>) {
    let mut timings = Timings::from_env();
    let (sources, problems) = discover_sources(options);
    timings.lap("discover");
    let mut inputs: Vec<Input> = sources
        .into_iter()
        .map(|source| Input { source, text: None })
        .collect();
    // A walk problem (loop, unreadable directory) is reported on a file-less entry.
    let first_problem = inputs.len();
    inputs.extend(problems.iter().map(|p| Input {
        source: SourcePath {
            path: p.path.clone(),
            kind: FileKind::Other,
            format: Format::Php,
            explicit: true,
            git: Default::default(),
        },
        text: Some(String::new()),
    }));
    let report = lint_inputs(inputs, options);
    if !options.uncut {
        check::release_freed_memory();
    }
    let problems = problems
        .iter()
        .enumerate()
        .map(|(offset, problem)| {
            Diagnostic::new(
                rules::UnreadableFile::RULE,
                Location::new(first_problem + offset, Span::empty_at(0)),
                format!("cannot read: {}", problem.message),
            )
        })
        .collect();
    (report, problems)
}

/// Lints one file whose text comes from elsewhere (stdin, an editor), as if it were at `path`,
/// together with the `.magelint.yaml` that applies to it.
pub fn lint_text(path: &Path, text: String, options: &LintOptions) -> Report {
    // The fleet the buffer belongs to: the paths given, else the installation holding it (the
    // directory above app/etc, or the file's own directory), so site and fleet rules see the
    // buffer with its config.php, sibling env files and .magento.app.yaml.
    let default_paths = options.paths.is_empty() || options.paths == [PathBuf::from(".")];
    let mut fleet_options = options.clone();
    if default_paths {
        fleet_options.paths = vec![installation_root_of(path)];
    }
    let (mut sources, _) = discover_sources(&fleet_options);
    let same = |p: &Path| {
        p == path
            || (std::fs::canonicalize(p).ok().is_some()
                && std::fs::canonicalize(p).ok() == std::fs::canonicalize(path).ok())
    };
    // The buffer's git status is its file's (found by the walk, else asked of git).
    let walked = sources.iter().find(|s| same(&s.path));
    let git = walked.map_or_else(|| crate::git::status_of(path), |s| s.git);
    // Found by the walk, the buffer stands where the walk saw it (a rule may judge what the
    // walk did not find beside it, EC067); else it is named.
    let explicit = walked.is_none_or(|s| s.explicit);
    // As a named file: what git ignores is left out of a `--committed-only` run.
    if options.walk.committed_only && git == crate::git::GitStatus::Ignored {
        return Report::default();
    }
    sources.retain(|s| !same(&s.path));
    let (kind, format) = crate::discover::classify(path)
        .unwrap_or_else(|| (FileKind::Other, crate::discover::guess_format(path)));
    // A `.magelint.yaml` (or footprint) speaks for the whole fleet: every site is asked about.
    let declares = matches!(kind, FileKind::MagelintConfig | FileKind::Footprint);
    sources.insert(
        0,
        SourcePath {
            path: path.to_path_buf(),
            kind,
            format,
            explicit,
            git,
        },
    );
    let mut text = Some(text);
    let inputs = sources
        .into_iter()
        .map(|source| Input {
            source,
            text: text.take(),
        })
        .collect();
    let mut report = lint_inputs(inputs, &fleet_options);
    let fleet = resolve(&report.files, &fleet_options.base_dir);
    let rules = enabled_rules(&fleet_options);
    // Site rules on the buffer's sites only; the rest of the fleet is context, not the subject.
    let findings = check::fleet::check(&fleet, &rules, &|site| {
        declares || fleet.site_reads(site, 0)
    });
    report.sites = fleet.sites.len();
    report.ece_tools = check::env_yaml::summaries(&fleet);
    report.ece_tools.retain(|s| s.file == 0);
    drop(fleet);
    report.diagnostics.extend(findings);
    report.diagnostics.retain(|d| d.location.file == 0);
    read_back(&mut report, &fleet_options);
    finish(&mut report, &fleet_options);
    report.diagnostics.retain(|d| d.location.file == 0);
    report
}

/// The secret-free summary of every site (`magelint footprint`), from the same model `check`
/// builds.
pub fn footprint(options: &LintOptions, name: &str) -> serde_json::Value {
    let (mut report, _) = check_paths(options);
    // Footprints quote line and column of every fact: the cut texts are read back.
    in_worker_pool(|| {
        report
            .files
            .par_iter_mut()
            .filter(|f| f.facts.is_some() && !f.has_whole_text())
            .for_each(|file| restore_text(file, options));
    });
    let fleet = resolve(&report.files, &options.base_dir);
    crate::model::footprint::write(&fleet, name)
}

/// The installation directory of a config file: the parent of `app/etc`, else its directory.
fn installation_root_of(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new(""));
    let root = match (dir.file_name(), dir.parent()) {
        (Some(etc), Some(app)) if etc == "etc" && app.file_name().is_some_and(|n| n == "app") => {
            app.parent()
        }
        _ => Some(dir),
    };
    match root {
        Some(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The per-file stage over the given inputs, on every core (the seam the editor's workspace
/// uses too). Report file ids follow the order of `inputs`.
pub fn lint_inputs(inputs: Vec<Input>, options: &LintOptions) -> Report {
    let rules = &enabled_rules(options);
    let (files, diagnostics) = check_inputs(inputs, 0, rules, options);
    Report {
        files,
        diagnostics: diagnostics.into_iter().flatten().collect(),
        ..Report::default()
    }
}

/// The per-file stage over `inputs`, numbered from `first_id`: the files and, per file, its
/// own findings.
pub fn check_inputs(
    inputs: Vec<Input>,
    first_id: usize,
    rules: &[&Registered],
    options: &LintOptions,
) -> (Vec<SourceFile>, Vec<Vec<Diagnostic>>) {
    // Straight into the two lists (no intermediate list of pairs: on a large fleet that copy
    // doubled the memory the files take).
    in_worker_pool(move || {
        inputs
            .into_par_iter()
            .enumerate()
            .map(|(index, input)| check::file::check_one(first_id + index, input, rules, options))
            .unzip()
    })
}

/// Reads back the text of the files whose text the per-file stage cut and a diagnostic points
/// into (the facts are freed first: reports never read them).
pub fn read_back(report: &mut Report, options: &LintOptions) {
    // Within the kept first line (ML003 points at it), the cut text has all the position and
    // the fingerprint need; a baseline fingerprints every finding.
    let fingerprints = options.baseline.is_some();
    let mut wanted = vec![false; report.files.len()];
    for diagnostic in &report.diagnostics {
        let related = diagnostic.related.iter().map(|r| &r.location);
        for location in std::iter::once(&diagnostic.location).chain(related) {
            let Some(file) = report.files.get(location.file) else {
                continue;
            };
            let beyond = location.span.end as usize > file.text.len();
            if let Some(flag) = wanted.get_mut(location.file) {
                *flag |= options.snippets || beyond || fingerprints;
            }
        }
    }
    in_worker_pool(|| {
        report
            .files
            .par_iter_mut()
            .zip(wanted)
            .for_each(|(file, wanted)| {
                // Reports never read the facts: free them before texts are read back (on every
                // core: a fleet has tens of thousands).
                file.facts = None;
                if wanted && !file.has_whole_text() {
                    restore_text(file, options);
                }
            });
    });
}

fn restore_text(file: &mut SourceFile, options: &LintOptions) {
    let (text, _) = read_text(&file.source.path, options.max_file_size);
    // The tree's secrets were kept when it was cut; add what the text scan finds.
    file.secrets = crate::secrets::merge_spans(
        std::mem::take(&mut file.secrets),
        crate::secrets::text_secret_spans(&text),
    );
    file.lines = LineIndex::new(&text);
    file.text = text;
}

/// Applies the selection, suppressions, severity overrides and the baseline, and sorts: by
/// file, then position, then code.
pub fn finish(report: &mut Report, options: &LintOptions) {
    finish_in(report, options, None);
}

/// `finish` for a report on some files only (`subjects`, the editor's open documents): other
/// files' findings are dropped, and a baseline entry is stale only in a whole run.
pub fn finish_scoped(report: &mut Report, options: &LintOptions, subjects: &[FileId]) {
    finish_in(report, options, Some(subjects));
    // Related places in other files are shown with positions: their texts are needed whole.
    let related: Vec<FileId> = report
        .diagnostics
        .iter()
        .flat_map(|d| d.related.iter().map(|r| r.location.file))
        .collect();
    for id in related {
        if let Some(file) = report.files.get_mut(id) {
            if !file.has_whole_text() && !file.in_memory {
                restore_text(file, options);
            }
        }
    }
}

fn finish_in(report: &mut Report, options: &LintOptions, scope: Option<&[FileId]>) {
    let in_scope = |d: &Diagnostic| scope.is_none_or(|s| s.contains(&d.location.file));
    report.diagnostics.retain(|d| {
        (d.rule.code == "E000" || options.selection.is_enabled(d.rule.code)) && in_scope(d)
    });
    let enabled = |code: &str| options.selection.is_enabled(code);
    report.suppressed += crate::suppress::apply(report, &options.path_ignores, &enabled);
    report.diagnostics.retain(in_scope);
    for diagnostic in &mut report.diagnostics {
        if let Some(severity) = options.selection.severity_override(diagnostic.rule.code) {
            diagnostic.severity = severity;
        }
    }
    crate::run::sort(&mut report.diagnostics);
    if let Some(baseline) = &options.baseline {
        let stale = |code: &str| scope.is_none() && enabled(code);
        let (hidden, still) = crate::baseline::apply(report, baseline, &stale);
        report.suppressed += hidden;
        report.baseline_still = Some(still);
        crate::run::sort(&mut report.diagnostics);
    }
}

/// `magelint dump FILE`: the statically known value of a config file as pretty JSON (the
/// `json_encode` shape), secrets masked unless `show_secrets`; the error says why not (an E001
/// at its position, or an unreadable file).
pub fn dump(file: &Path, show_secrets: bool) -> Result<String, String> {
    let (kind, format) = crate::discover::classify(file).unwrap_or_else(|| {
        let format = match file.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Format::Yaml,
            Some("json") => Format::Json,
            _ => Format::Php,
        };
        (FileKind::Other, format)
    });
    // The same reader as `check`: no FIFO is opened, no file over the size cap is read.
    let text = match read_text(file, DEFAULT_MAX_FILE_SIZE) {
        (text, None) => text,
        (text, Some((message, _))) if text.is_empty() => {
            return Err(format!("{}: {message}", file.display()))
        }
        (text, Some((message, _))) => {
            eprintln!("magelint: {}: {message}", file.display());
            text
        }
    };
    let source = SourcePath {
        path: file.to_path_buf(),
        kind,
        format,
        explicit: true,
        git: Default::default(),
    };
    match parse(&source, &text, &crate::syntax::Limits::default()) {
        Ok(document) => {
            let mut value = crate::syntax::dump::to_json(&document.root);
            if !show_secrets {
                crate::secrets::mask_json(&mut value);
            }
            let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
            out.push('\n');
            Ok(out)
        }
        Err(error) => {
            let at = LineIndex::new(&text).position(&text, error.span.start);
            let message = if show_secrets {
                error.message
            } else {
                let secrets = crate::secrets::text_secret_spans(&text);
                crate::secrets::mask_in_message(&error.message, &text, &secrets)
            };
            Err(format!(
                "{}:{}:{}: E001 {message}",
                file.display(),
                at.line,
                at.column
            ))
        }
    }
}
