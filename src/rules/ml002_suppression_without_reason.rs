use super::Rule;

declare_rule! {
    /// ## What it does
    /// Flags a `magelint-ignore` comment that gives no reason after a colon.
    ///
    /// ## Why it matters
    /// A suppression waives a check that protects a production data space. The next engineer
    /// must be able to tell a deliberate exception from a silenced alarm. The finding is still
    /// suppressed.
    ///
    /// ## Example
    /// ```yaml
    /// CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID: '8eb8…' # magelint-ignore MS017
    /// ```
    ///
    /// ## Fix
    /// Add the reason: `# magelint-ignore MS017: production-only Cloud variable, set per env`.
    ///
    /// ## Source
    /// magelint's own suppression comments: a suppression states its reason after a colon ("Suppressions and baselines": <https://github.com/magelint/magelint#suppressions-and-baselines>).
    pub struct SuppressionWithoutReason;
    code: "ML002", name: "suppression-without-reason", severity: Warning
}

/// Emitted by the suppression step.
impl Rule for SuppressionWithoutReason {}
