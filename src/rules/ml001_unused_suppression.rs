use super::Rule;

declare_rule! {
    /// ## What it does
    /// Flags a `magelint-ignore` comment that suppresses no finding on the line it covers.
    ///
    /// ## Why it matters
    /// A stale suppression hides the next real problem written on that line, and tells readers
    /// something about the file that is no longer true.
    ///
    /// ## Example
    /// ```php
    /// // magelint-ignore MS008: demo key, rotated
    /// 'sandbox_api_key' => getenv('SANDBOX_API_KEY'),
    /// ```
    /// (the key is no longer in clear text, so MS008 does not fire here any more).
    ///
    /// ## Fix
    /// Delete the comment, or move it to the line before the finding it is meant for.
    ///
    /// ## Source
    /// magelint's suppression contract (../shared/DESIGN.md §2, "suppress"), after ruff's RUF100.
    pub struct UnusedSuppression;
    code: "ML001", name: "unused-suppression", severity: Warning
}

/// Emitted by the suppression step.
impl Rule for UnusedSuppression {}
