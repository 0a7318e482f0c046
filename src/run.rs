//! The shared values of a run, borrowed by every later stage: the files as the per-file stage
//! leaves them (`SourceFile`), the inputs, and the `Report`. A leaf of the engine: it imports
//! no stage.

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::SourcePath;
use crate::facts::Facts;
use crate::syntax::{LineIndex, Span};
use serde::{Deserialize, Serialize};

/// One file of the run, with what the per-file stage kept of it.
#[derive(Debug)]
pub struct SourceFile {
    pub source: SourcePath,
    /// The path as printed: relative to the base directory, with `/`.
    pub display_path: String,
    /// The text (lossily decoded when the file is not UTF-8, so positions can still be shown).
    /// A file read from disk with nothing to show is cut to its first line after its checks;
    /// the report reads the rest back if a finding points there.
    pub text: String,
    pub lines: LineIndex,
    /// What resolve and the site and fleet rules read of the file (`None`: it did not parse).
    pub facts: Option<Facts>,
    /// Spans of secret values, masked in every output that shows source text.
    pub secrets: Vec<Span>,
    /// The text came from memory (an editor buffer, stdin): it is never cut, since the disk
    /// cannot give it back.
    pub in_memory: bool,
}

impl SourceFile {
    /// The text with secrets masked, for any output that shows source lines.
    pub fn redacted_text(&self) -> String {
        crate::secrets::redact(&self.text, &self.secrets)
    }

    /// Whether the whole text is at hand (not cut to its first line).
    pub fn has_whole_text(&self) -> bool {
        self.text.len() >= self.lines.text_len()
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
    /// With a baseline: its entries that still match a finding (what `--prune-baseline`
    /// keeps).
    pub baseline_still: Option<Baseline>,
    /// The ece-tools schema each `.magento.env.yaml` was checked with, and why.
    pub ece_tools: Vec<EceToolsSchema>,
}

/// Which ece-tools schema checked a `.magento.env.yaml`, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EceToolsSchema {
    /// The `.magento.env.yaml`.
    pub file: usize,
    /// The bundled generation (`2002.1`, `2002.2`), or `installed`.
    pub generation: String,
    /// The ece-tools release the check stands for, when known.
    pub version: Option<String>,
    /// Why, in words: `composer.lock pins magento/ece-tools 2002.1.17`.
    pub reason: String,
    /// `bundled`, or the installed ece-tools' schema file, relative to the project.
    pub schema: String,
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
        self.diagnostics.iter().any(|d| d.rule.code == "E000")
    }
}

/// A file to lint whose text may come from memory (an editor buffer, stdin) instead of disk.
#[derive(Clone, Debug)]
pub struct Input {
    pub source: SourcePath,
    pub text: Option<String>,
}

/// Orders diagnostics by file, position, code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.location.file, a.location.span.start, a.rule.code).cmp(&(
            b.location.file,
            b.location.span.start,
            b.rule.code,
        ))
    });
}

/// One recorded finding of a baseline file. Only the fingerprint matches; the rest helps a
/// reader.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub message: String,
}

/// A baseline file (`--write-baseline`): today's findings, hidden tomorrow.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}
