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
    /// magelint's own suppression comments ("Suppressions and baselines": <https://github.com/magelint/magelint#suppressions-and-baselines>), after ruff's RUF100 (<https://docs.astral.sh/ruff/rules/unused-noqa/>).
    pub struct UnusedSuppression;
    code: "ML001", name: "unused-suppression", severity: Warning
}

/// Emitted by the suppression step.
impl Rule for UnusedSuppression {}
