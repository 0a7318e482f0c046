//! Baselines: record today's findings by fingerprint, hide them tomorrow, and say when an entry
//! no longer matches anything (so the baseline shrinks as the legacy is fixed).

use crate::diagnostic::{Diagnostic, Location};
use crate::discover::{FileKind, Format, SourcePath};
use crate::report::resolve;
pub use crate::run::{Baseline, BaselineEntry};
use crate::run::{Report, SourceFile};
use crate::syntax::{Limits, LineIndex, Span};
use std::path::{Path, PathBuf};

/// A baseline read for a run (from `--baseline` or the configuration's `baseline`).
#[derive(Debug)]
pub struct LoadedBaseline {
    pub path: PathBuf,
    /// The path as printed.
    pub display: String,
    pub text: String,
    pub baseline: Baseline,
}

/// Reads the baseline at `path` for a run whose paths print relative to `base_dir`.
pub fn load(path: &Path, base_dir: &Path) -> Result<LoadedBaseline, String> {
    let (baseline, text) = read(path)?;
    Ok(LoadedBaseline {
        path: path.to_path_buf(),
        display: crate::discover::display_path(path, base_dir),
        text,
        baseline,
    })
}

/// The baseline recording every finding of `report` (messages are already masked).
pub fn from_report(report: &Report) -> Baseline {
    let mut entries: Vec<BaselineEntry> = report
        .diagnostics
        .iter()
        .map(|d| {
            let r = resolve(report, d);
            BaselineEntry {
                fingerprint: r.fingerprint,
                code: r.code.to_string(),
                path: r.location.path,
                message: r.message,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        (&a.path, &a.code, &a.fingerprint).cmp(&(&b.path, &b.code, &b.fingerprint))
    });
    Baseline {
        version: 1,
        entries,
    }
}

pub fn to_json(baseline: &Baseline) -> String {
    let mut text = serde_json::to_string_pretty(baseline).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a baseline file; the error says why it cannot be used.
pub fn read(path: &Path) -> Result<(Baseline, String), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a magelint baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if baseline.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported (expected 1)",
            path.display(),
            baseline.version
        ));
    }
    Ok((baseline, text))
}

/// Hides the findings recorded in `baseline`; reports each entry that matched nothing as
/// ML004 at its place in the baseline file. Returns (hidden count, the entries still matching).
pub fn apply(
    report: &mut Report,
    loaded: &LoadedBaseline,
    enabled: &dyn Fn(&str) -> bool,
) -> (usize, Baseline) {
    let (baseline, path, text, display) = (
        &loaded.baseline,
        &loaded.path,
        &loaded.text,
        &loaded.display,
    );
    let mut remaining: Vec<Option<&BaselineEntry>> = baseline.entries.iter().map(Some).collect();
    let mut kept = Vec::new();
    let mut hidden = 0;
    let fingerprints: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| resolve(report, d).fingerprint)
        .collect();
    let mut still = Vec::new();
    for (diagnostic, fingerprint) in std::mem::take(&mut report.diagnostics)
        .into_iter()
        .zip(fingerprints)
    {
        let slot = remaining
            .iter_mut()
            .find(|e| e.is_some_and(|e| e.fingerprint == fingerprint));
        match slot {
            Some(slot) => {
                still.extend(slot.take().cloned());
                hidden += 1;
            }
            None => kept.push(diagnostic),
        }
    }
    report.diagnostics = kept;
    let stale: Vec<(usize, &BaselineEntry)> = baseline
        .entries
        .iter()
        .enumerate()
        .filter(|(i, _)| remaining[*i].is_some())
        .collect();
    if !stale.is_empty() && enabled("ML004") {
        let id = report.files.len();
        let document = crate::syntax::json::parse(text, &Limits::default()).ok();
        report.files.push(SourceFile {
            source: SourcePath {
                path: path.to_path_buf(),
                kind: FileKind::Other,
                format: Format::Json,
                explicit: true,
                git: Default::default(),
            },
            display_path: display.to_string(),
            lines: LineIndex::new(text),
            text: text.to_string(),
            facts: None,
            secrets: Vec::new(),
            in_memory: false,
        });
        for (index, entry) in stale {
            let span = document
                .as_ref()
                .and_then(|d| d.locate(&format!("/entries/{index}")))
                .map_or(Span::empty_at(0), |(_, node)| node.span);
            report.diagnostics.push(
                Diagnostic::new(
                    crate::rules::StaleBaselineEntry::RULE,
                    Location::new(id, span).with_pointer(format!("/entries/{index}")),
                    format!(
                        "baseline entry for {} in {} matches no finding any more",
                        entry.code, entry.path
                    ),
                )
                .help("the finding was fixed or changed: remove the entry with --prune-baseline"),
            );
        }
    }
    (
        hidden,
        Baseline {
            version: 1,
            entries: still,
        },
    )
}
