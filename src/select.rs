//! Which rules run: `--select` / `--ignore` by code or prefix, and per-rule severities.

use crate::diagnostic::Severity;
use crate::rules::RULES;
use std::collections::BTreeMap;

/// The rules a run reports.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Codes or prefixes (`MS`, `MG003`, `ALL`); empty means the default set.
    pub select: Vec<String>,
    /// Codes or prefixes never reported (wins over `select` unless `select` names the exact code).
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
}

impl Selection {
    /// Whether diagnostics of `code` are reported. The longest matching selector wins, as in
    /// ruff: `--select MS --ignore MS0` keeps nothing of MS0xx, `--ignore MS --select MS001`
    /// keeps MS001. Rules off by default run only when a selector names them; `ALL` names every
    /// rule (as in ruff).
    pub fn is_enabled(&self, code: &str) -> bool {
        let best = |selectors: &[String]| {
            selectors
                .iter()
                .filter(|s| selector_matches(s, code))
                .map(|s| {
                    if s.eq_ignore_ascii_case("ALL") {
                        0
                    } else {
                        s.len()
                    }
                })
                .max()
        };
        let selected = best(&self.select);
        let ignored = best(&self.ignore);
        let default_on = crate::rules::meta(code).is_none_or(|m| m.default_enabled);
        // Parse/input errors cannot be selected away: without them a broken file passes.
        if code.starts_with('E') && code.len() == 4 {
            return true;
        }
        match (selected, ignored) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => self.select.is_empty() && default_on,
        }
    }

    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        self.severity.get(code).copied()
    }

    /// Selectors that match no rule code: a typo the user should hear about.
    pub fn unknown_selectors(&self) -> Vec<&str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|s| !RULES.iter().any(|r| selector_matches(s, r.meta.code)))
            .map(String::as_str)
            .collect()
    }
}

fn selector_matches(selector: &str, code: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || code
            .get(..selector.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(selector))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(select: &[&str], ignore: &[&str]) -> Selection {
        Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            severity: BTreeMap::new(),
        }
    }

    #[test]
    fn longest_selector_wins() {
        let s = selection(&[], &[]);
        assert!(s.is_enabled("MG003"));
        let s = selection(&["MG"], &["MG003"]);
        assert!(!s.is_enabled("MG003"));
        let s = selection(&["MG003"], &["MG"]);
        assert!(s.is_enabled("MG003"));
        let s = selection(&[], &["MG"]);
        assert!(!s.is_enabled("MG003"));
        let s = selection(&["E"], &[]);
        assert!(!s.is_enabled("MG003"));
        assert!(s.is_enabled("E001"));
        let s = selection(&[], &["E001"]);
        assert!(s.is_enabled("E001"), "input errors are always on");
        assert_eq!(selection(&["MX"], &["mg"]).unknown_selectors(), vec!["MX"]);
    }

    #[test]
    fn all_means_every_rule_even_those_off_by_default() {
        let off = RULES
            .iter()
            .find(|r| !r.meta.default_enabled)
            .map(|r| r.meta.code)
            .unwrap_or("MG008");
        assert!(!selection(&[], &[]).is_enabled(off));
        assert!(selection(&["ALL"], &[]).is_enabled(off));
        assert!(selection(&[&off[..2]], &[]).is_enabled(off));
        assert!(!selection(&["ALL"], &[off]).is_enabled(off));
    }
}
