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
    /// magelint's exit-status contract (../shared/DESIGN.md §1: 2 = internal error).
    pub struct InternalError;
    code: "E000", name: "internal-error", severity: Error
}

/// Emitted by the pipeline, not by a check.
impl Rule for InternalError {}
