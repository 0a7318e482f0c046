use super::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a file magelint itself failed on (a bug in magelint, never in your file).
    ///
    /// ## Why it matters
    /// A linter that crashes silently hides every other finding. magelint catches the failure per
    /// file, reports it here, keeps every other file's results and exits with status 2.
    ///
    /// ## Example
    /// `E000 internal error while checking app/etc/env.php: <panic message>`.
    ///
    /// ## Fix
    /// Report it with the file (secrets removed) to the magelint maintainers; meanwhile exclude
    /// the file.
    ///
    /// ## Source
    /// magelint's own exit status: 0 = nothing at the fail level, 1 = findings, 2 = usage, configuration or internal error (ruff's convention: <https://docs.astral.sh/ruff/linter/#exit-codes>).
    pub struct InternalError;
    code: "E000", name: "internal-error", severity: Error
}

/// Emitted by the pipeline, not by a check.
impl Rule for InternalError {}
