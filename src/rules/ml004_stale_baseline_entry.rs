use super::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a baseline entry (`--baseline FILE`) that no longer matches any finding.
    ///
    /// ## Why it matters
    /// A baseline is a list of known legacy problems. When one is fixed its entry should go, or
    /// the baseline silently grows stale and could one day hide a new finding with the same
    /// fingerprint.
    ///
    /// ## Example
    /// `magelint-baseline.json` lists an MS008 finding for a key that was since moved to an
    /// environment variable.
    ///
    /// ## Fix
    /// Run `magelint check --baseline FILE --prune-baseline` to rewrite the baseline without
    /// the stale entries.
    ///
    /// ## Source
    /// magelint's own baseline: entries are fingerprints of rule code + path + JSON pointer + value ("Suppressions and baselines": <https://github.com/magelint/magelint#suppressions-and-baselines>).
    pub struct StaleBaselineEntry;
    code: "ML004", name: "stale-baseline-entry", severity: Info
}

/// Emitted by the baseline step.
impl Rule for StaleBaselineEntry {}
