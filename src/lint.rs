//! The pipeline: discover → read → parse → check → select, one file never stopping the others.

use crate::diagnostic::{Diagnostic, FileId, Location, Severity};
use crate::discover::{FileKind, Format, SourcePath, WalkOptions};
use crate::rules::{FileContext, RULES};
use crate::select::Selection;
use crate::syntax::{self, Document, Limits, LineIndex, ParseError, Span, Value};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use crate::lean::{cut_text, first_line_end, prune_for_fleet, restore_cut_texts};
pub use crate::read::read_text;
pub use crate::sources::{discover_sources, display_path};
pub use crate::timings::Timings;

/// Default size cap: real config files are < 1 MiB; generated fleets of 10 MiB still fit.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The largest `--max-depth` accepted: parsers, `Drop`, the JSON dump and schema validation
/// all recurse once per level, and this many levels stay far inside a worker thread's stack.
pub const MAX_DEPTH_CEILING: usize = 1000;

/// What to lint and how.
#[derive(Clone, Debug)]
pub struct LintOptions {
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub limits: Limits,
    pub max_file_size: u64,
    pub selection: Selection,
    /// Paths are printed relative to this directory.
    pub base_dir: PathBuf,
    /// `--config FILE`: used instead of the nearest `.magelint.yaml` above each path.
    pub config_file: Option<PathBuf>,
    /// Walked files matching these (config `exclude`) are skipped.
    pub exclude: Vec<Exclude>,
    /// Config `per-file-ignores`.
    pub path_ignores: Vec<crate::suppress::PathIgnore>,
    /// Other repositories' footprints (`--footprint`), weighed by the fleet rules.
    pub footprints: Vec<PathBuf>,
    /// Streaming (`check` on large fleets): after its per-file checks, a file keeps only what
    /// the site and fleet rules read (`prune_for_fleet`), and its text is cut to the first line
    /// unless it has findings or suppression comments; `lint` reads the text again for the
    /// files the final report points into. The report is the same; memory stays flat.
    pub lean: bool,
    /// The report shows source lines (`full`): a lean run reads back every cut text a
    /// finding points into. Without snippets, only those where a finding lies past the kept
    /// first line (positions and fingerprints need the text there).
    pub snippets: bool,
}

/// Exclude globs, relative to the directory (as printed) of the config that declared them.
#[derive(Clone, Debug)]
pub struct Exclude {
    pub globs: globset::GlobSet,
    pub base: String,
}

impl Default for LintOptions {
    fn default() -> LintOptions {
        LintOptions {
            paths: vec![PathBuf::from(".")],
            walk: WalkOptions::default(),
            limits: Limits::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            selection: Selection::default(),
            base_dir: std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default(),
            config_file: None,
            exclude: Vec::new(),
            path_ignores: Vec::new(),
            footprints: Vec::new(),
            lean: false,
            snippets: true,
        }
    }
}

/// One file of the run, with what was read and parsed from it.
#[derive(Debug)]
pub struct SourceFile {
    pub source: SourcePath,
    /// The path as printed: relative to the base directory, with `/`.
    pub display_path: String,
    /// The text (lossily decoded when the file is not UTF-8, so positions can still be shown).
    pub text: String,
    pub lines: LineIndex,
    pub document: Option<Document>,
    /// Spans of secret values, masked in every output that shows source text.
    pub secrets: Vec<Span>,
}

impl SourceFile {
    /// The text with secrets masked, for any output that shows source lines.
    pub fn redacted_text(&self) -> String {
        crate::secrets::redact(&self.text, &self.secrets)
    }
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub sites: usize,
    /// Findings hidden by inline comments, config ignores or the baseline.
    pub suppressed: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether an internal error (E000) happened: exit status 2.
    pub fn has_internal_error(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == "E000")
    }
}

/// A file to lint whose text may come from memory (an editor buffer, stdin) instead of disk.
#[derive(Clone, Debug)]
pub struct Input {
    pub source: SourcePath,
    pub text: Option<String>,
}

/// Lints the paths of `options`.
pub fn lint(options: &LintOptions) -> Report {
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
        },
        text: Some(String::new()),
    }));
    let mut report = lint_inputs(inputs, options);
    timings.lap("read, parse, file rules");
    if options.lean {
        crate::lean::release_freed_memory();
    }
    check_fleet(&mut report, options);
    timings.lap("resolve, site and fleet rules");
    for (offset, problem) in problems.iter().enumerate() {
        let id = first_problem + offset;
        report.diagnostics.push(Diagnostic::new(
            "E003",
            Location::new(id, Span::empty_at(0)),
            format!("cannot read: {}", problem.message),
        ));
    }
    if options.lean {
        // Reports never read the trees: free them before texts are read back (on every core:
        // a fleet has tens of thousands).
        // On the checking pool, like every parallel step (the global one would start threads
        // of its own for this alone).
        in_worker_pool(|| {
            report
                .files
                .par_iter_mut()
                .for_each(|file| file.document = None);
            restore_cut_texts(&mut report, options);
        });
    }
    finish(&mut report, options);
    timings.lap("read back, suppress, sort");
    report
}

/// Lints one file whose text comes from elsewhere (stdin, an editor), as if it were at `path`,
/// together with the `.magelint.yaml` that applies to it.
pub fn lint_text(path: &Path, text: String, options: &LintOptions) -> Report {
    // The fleet the buffer belongs to: the paths given, else the installation holding it (the
    // directory above app/etc, or the file's own directory), so site and fleet rules see the
    // buffer with its config.php, sibling env files and .magento.app.yaml.
    let default_paths = options.paths.is_empty() || options.paths == [PathBuf::from(".")];
    let mut fleet_options = options.clone();
    // The buffer's text lives only in memory: lean mode would cut it and read it from disk.
    fleet_options.lean = false;
    if default_paths {
        fleet_options.paths = vec![installation_root_of(path)];
    }
    let (mut sources, _) = discover_sources(&fleet_options);
    let same = |p: &Path| {
        p == path
            || (std::fs::canonicalize(p).ok().is_some()
                && std::fs::canonicalize(p).ok() == std::fs::canonicalize(path).ok())
    };
    sources.retain(|s| !same(&s.path));
    let (kind, format) = crate::discover::classify(path)
        .unwrap_or_else(|| (FileKind::Other, crate::discover::guess_format(path)));
    sources.insert(
        0,
        SourcePath {
            path: path.to_path_buf(),
            kind,
            format,
            explicit: true,
        },
    );
    let overlays = std::collections::HashMap::from([(path.to_path_buf(), text)]);
    let mut report = lint_overlay(&sources, &overlays, &fleet_options);
    // Report on the buffer only: the rest of the fleet is context, not the subject.
    report.diagnostics.retain(|d| d.location.file == 0);
    report
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

/// Lints `sources` as `lint` does (file rules, fleet rules, selection, suppressions), taking
/// the text of any source whose path is a key of `overlays` from there instead of the disk: the
/// editor's unsaved buffers. Report file ids follow the order of `sources`.
pub fn lint_overlay(
    sources: &[SourcePath],
    overlays: &std::collections::HashMap<PathBuf, String>,
    options: &LintOptions,
) -> Report {
    let inputs = sources
        .iter()
        .map(|source| Input {
            source: source.clone(),
            text: overlays.get(&source.path).cloned(),
        })
        .collect();
    let mut report = lint_inputs(inputs, options);
    check_fleet(&mut report, options);
    finish(&mut report, options);
    report
}

/// Lints the given inputs (the seam the editor server and `--stdin-filename` use).
pub fn lint_inputs(inputs: Vec<Input>, options: &LintOptions) -> Report {
    // The selection is decided once per run, not once per file and rule.
    let rules = &enabled_rules(options);
    // Straight into the report's two lists (no intermediate list of pairs: on a large fleet
    // that copy doubled the memory the files take).
    let check_all = move || -> (Vec<SourceFile>, Vec<Vec<Diagnostic>>) {
        inputs
            .into_par_iter()
            .enumerate()
            .map(|(id, input)| check_one(id, input, rules, options))
            .unzip()
    };
    let (files, diagnostics) = in_worker_pool(check_all);
    Report {
        files,
        diagnostics: diagnostics.into_iter().flatten().collect(),
        ..Report::default()
    }
}

/// The rules the selection of `options` runs, in registry order.
fn enabled_rules(options: &LintOptions) -> Vec<&'static crate::rules::Registered> {
    RULES
        .iter()
        .filter(|rule| options.selection.is_enabled(rule.meta.code))
        .collect()
}

/// Stack of each checking thread. Parsing, dropping and validating a tree recurse once per
/// nesting level (at most `MAX_DEPTH_CEILING`); the default 2 MiB of a thread is too tight for
/// that in a debug build. Untouched stack pages cost no memory.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The thread pool files are checked on (`None` if it cannot be built: the global pool then).
fn worker_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK)
            .thread_name(|i| format!("magelint-check-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Resolves sites and data spaces and runs the site and fleet rules.
pub fn check_fleet(report: &mut Report, options: &LintOptions) {
    in_worker_pool(|| check_fleet_here(report, options))
}

/// Runs `work` on the checking pool (big stacks), so its parallel parts do too.
pub fn in_worker_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match worker_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

fn check_fleet_here(report: &mut Report, options: &LintOptions) {
    let base = options.base_dir.clone();
    let fleet = crate::model::resolve(&report.files, &base);
    let rules = enabled_rules(options);
    // One pass over the sites runs every site rule, beside the fleet rules (each on its own):
    // both cores stay busy, and the sites are not walked once per rule.
    let (per_site, per_fleet_rule) = rayon::join(
        || {
            fleet
                .sites
                .par_iter()
                .filter(|s| s.foreign.is_none())
                .map(|site| site_findings(site, &fleet, &rules))
                .collect::<Vec<_>>()
        },
        || {
            rules
                .par_iter()
                .map(|rule| {
                    let mut found = Vec::new();
                    rule.rule.check_fleet(&fleet, &mut found);
                    found
                })
                .collect::<Vec<_>>()
        },
    );
    // The order of a rule-by-rule run: per rule, its findings in site order, then its fleet
    // findings (ties in the final sort keep this order).
    let mut by_rule: Vec<Vec<Diagnostic>> = rules.iter().map(|_| Vec::new()).collect();
    for (rule, diagnostic) in per_site.into_iter().flatten() {
        by_rule[rule].push(diagnostic);
    }
    let found = by_rule.iter().map(Vec::len).sum::<usize>()
        + per_fleet_rule.iter().map(Vec::len).sum::<usize>();
    report.diagnostics.reserve(found);
    for (site_found, fleet_found) in by_rule.into_iter().zip(per_fleet_rule) {
        report.diagnostics.extend(site_found);
        report.diagnostics.extend(fleet_found);
    }
    report.sites = fleet.sites.len();
}

/// What every site rule finds on one site, each finding with the index of its rule in `rules`.
fn site_findings(
    site: &crate::model::Site,
    fleet: &crate::model::Fleet<'_>,
    rules: &[&crate::rules::Registered],
) -> Vec<(usize, Diagnostic)> {
    let mut found = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        // A list of its own per rule, as rules see when run one by one (an empty one costs
        // no allocation).
        let mut out = Vec::new();
        rule.rule.check_site(site, fleet, &mut out);
        found.extend(out.into_iter().map(|d| (index, d)));
    }
    found
}

/// Applies the selection and sorts: by file, then position, then code.
fn finish(report: &mut Report, options: &LintOptions) {
    report
        .diagnostics
        .retain(|d| d.code == "E000" || options.selection.is_enabled(d.code));
    let enabled = |code: &str| options.selection.is_enabled(code);
    report.suppressed += crate::suppress::apply(report, &options.path_ignores, &enabled);
    for diagnostic in &mut report.diagnostics {
        if let Some(severity) = options.selection.severity_override(diagnostic.code) {
            diagnostic.severity = severity;
        }
    }
    sort(report);
}

/// Orders diagnostics by file, position, code.
pub fn sort(report: &mut Report) {
    report.diagnostics.sort_by(|a, b| {
        (a.location.file, a.location.span.start, a.code).cmp(&(
            b.location.file,
            b.location.span.start,
            b.code,
        ))
    });
}

fn check_one(
    id: FileId,
    input: Input,
    rules: &[&crate::rules::Registered],
    options: &LintOptions,
) -> (SourceFile, Vec<Diagnostic>) {
    let display_path = display_path(&input.source.path, &options.base_dir);
    let source = input.source.clone();
    // A bug in magelint must cost one file, not the run: catch it and report it.
    let checked = || {
        let (mut file, diagnostics) = check_file(id, input, rules, options);
        // Every text gets its line index here, but a lean run's cut one, which has its
        // sparse index already.
        if !file.lines.is_sparse() {
            file.lines = LineIndex::new(&file.text);
        }
        (file, diagnostics)
    };
    match catch_unwind(AssertUnwindSafe(checked)) {
        Ok((mut file, diagnostics)) => {
            file.display_path = display_path;
            (file, diagnostics)
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let file = SourceFile {
                source,
                display_path,
                text: String::new(),
                lines: LineIndex::new(""),
                document: None,
                secrets: Vec::new(),
            };
            let diagnostic = Diagnostic::new(
                "E000",
                Location::new(id, Span::empty_at(0)),
                format!("internal error while checking this file: {message}"),
            )
            .help("this is a bug in magelint; please report it");
            (file, vec![diagnostic])
        }
    }
}

fn check_file(
    id: FileId,
    input: Input,
    rules: &[&crate::rules::Registered],
    options: &LintOptions,
) -> (SourceFile, Vec<Diagnostic>) {
    test_hooks::panic_if_asked(&input.source.path);
    let mut diagnostics = Vec::new();
    let (text, read_problem) = match input.text {
        Some(text) => (text, None),
        None => read_text(&input.source.path, options.max_file_size),
    };
    // The line index is built by `check_one` (a file whose text a lean run drops gets a
    // sparse one here).
    let mut file = SourceFile {
        lines: LineIndex::default(),
        text,
        source: input.source,
        display_path: String::new(),
        document: None,
        secrets: Vec::new(),
    };
    if let Some((message, offset)) = read_problem {
        // Not valid UTF-8: the lossy text may still be shown; mask what looks like a secret.
        file.secrets = crate::secrets::text_secret_spans(&file.text);
        diagnostics.push(Diagnostic::new(
            "E003",
            Location::new(id, Span::empty_at(offset)),
            message,
        ));
        return (file, diagnostics);
    }
    let parsed = parse(&file.source, &file.text, &options.limits);
    match parsed {
        Ok(document) => {
            if let Some(diagnostic) = not_a_config_array(id, &file.source, &document) {
                diagnostics.push(diagnostic);
            }
            let context = FileContext {
                id,
                source: &file.source,
                text: &file.text,
                document: &document,
                schema: std::cell::OnceCell::new(),
            };
            for rule in rules {
                rule.rule.check_file(&context, &mut diagnostics);
            }
            drop(context);
            let mut document = document;
            // A lean run drops the text until the report is written: `restore_cut_texts` reads
            // back the texts findings point into, once the trees are freed (files with findings
            // of their own too: kept, their texts were the largest part of the peak memory).
            let cut_at = match options.lean && !crate::suppress::has_marker(&file.text) {
                true => first_line_end(&file.text),
                false => None,
            };
            let cut = cut_at.is_some();
            // The tree's secrets now, before pruning drops them; the text scan only for a text
            // that is kept (a cut one is scanned if it is read back).
            file.secrets = crate::secrets::secret_spans(&document);
            if !cut {
                file.secrets = crate::secrets::merge_spans(
                    std::mem::take(&mut file.secrets),
                    crate::secrets::text_secret_spans(&file.text),
                );
            }
            if options.lean {
                prune_for_fleet(&file.source, &mut document);
                // A fresh copy of what is kept, so the kept nodes are packed together
                // instead of pinning the pages the whole tree was parsed into.
                document = document.clone();
                if let Some(end) = cut_at {
                    // Line numbers are still needed where the kept nodes are (fleet messages
                    // quote them); the rest of the index goes with the text.
                    file.lines =
                        LineIndex::sparse(&file.text, crate::lean::kept_offsets(&document));
                    cut_text(&mut file.text, end);
                }
            }
            file.document = Some(document);
        }
        Err(error) => {
            // No document to say where the secrets are: find them in the text, so neither the
            // snippet shown around the error nor the token quoted in the message prints one.
            file.secrets = crate::secrets::text_secret_spans(&file.text);
            let message =
                crate::secrets::mask_in_message(&error.message, &file.text, &file.secrets);
            diagnostics.push(Diagnostic::new(
                "E001",
                Location::new(id, error.span),
                message,
            ))
        }
    }
    (file, diagnostics)
}

/// A test hook, kept in release builds so CI tests the binary users run. It can only make magelint
/// report E000 for a file the caller names; it reads nothing and writes nothing.
mod test_hooks {
    /// `MAGELINT_TEST_PANIC_ON=<file name>` makes checking a file of that name panic, so the
    /// tests can show that a bug costs one file (E000, exit 2) and not the run.
    pub fn panic_if_asked(path: &std::path::Path) {
        if let Some(name) = std::env::var_os("MAGELINT_TEST_PANIC_ON") {
            if path.file_name() == Some(name.as_os_str()) {
                panic!("MAGELINT_TEST_PANIC_ON hook for {}", path.display());
            }
        }
    }
}

/// Parses a file by its format.
pub fn parse(source: &SourcePath, text: &str, limits: &Limits) -> Result<Document, ParseError> {
    match source.format {
        Format::Php => syntax::php::parse(text, limits),
        Format::Yaml => syntax::yaml::parse(text, limits),
        Format::Json => syntax::json::parse(text, limits),
    }
}

fn not_a_config_array(id: FileId, source: &SourcePath, document: &Document) -> Option<Diagnostic> {
    if !source.kind.is_deployment_config() || source.format != Format::Php {
        return None;
    }
    let root = &document.root;
    let found = match &root.value {
        Value::Array { .. } | Value::Dynamic(_) => return None,
        _ if document.no_return => "has no top-level `return`, so `include` yields 1".to_string(),
        value => format!("returns {} instead of an array", value.type_name()),
    };
    Some(
        Diagnostic::new(
            "E002",
            Location::new(id, root.span),
            format!("{} {found}", source.kind.describe()),
        )
        .help("Magento requires `return [ ... ];` (\"Invalid configuration file\" otherwise)"),
    )
}
