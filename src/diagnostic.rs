//! What every check produces: a `Diagnostic` at a location, with related locations.

use crate::syntax::Span;
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static facts about a rule: what `magelint rules` lists and `magelint rule CODE` prints.
#[derive(Debug, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Off unless selected explicitly (by code or prefix).
    pub default_enabled: bool,
    /// The rule judges what a repository holds (a file as committed and shared): it is never
    /// reported in a file git ignores.
    pub about_repository: bool,
    /// The rule's doc comment, Markdown with the sections What it does / Why it matters /
    /// Example / Fix / Source.
    pub doc: &'static str,
    /// The ece-tools error codes (data/ece-tools/errors.json) whose failure this rule catches
    /// before deploy; docs/ece-tools.md is built from them.
    pub ece_tools: &'static [u16],
}

impl RuleMeta {
    /// The full documentation as Markdown: what `magelint rule CODE` prints and
    /// `docs/rules/CODE.md` holds.
    pub fn markdown(&self) -> String {
        let default = if self.default_enabled {
            ""
        } else {
            " (off by default)"
        };
        let body: Vec<&str> = self
            .doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        let repository = if self.about_repository {
            "\n\nAbout what the repository holds: never reported in a file git ignores."
        } else {
            ""
        };
        format!(
            "# {} {}\n\nDefault severity: {}{default}{repository}\n\n{}",
            self.code,
            self.name,
            self.severity,
            body.join("\n")
        )
    }

    /// The first sentence under "What it does", for one-line listings.
    pub fn summary(&self) -> String {
        let body = self
            .doc
            .split("## What it does")
            .nth(1)
            .unwrap_or(self.doc)
            .split("\n## ")
            .next()
            .unwrap_or("");
        let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.find(". ") {
            Some(end) => text[..=end].to_string(),
            None => text,
        }
    }
}

/// A rule is its code: two references to the metadata of one rule are equal wherever the
/// constant was placed in memory.
impl PartialEq for RuleMeta {
    fn eq(&self, other: &RuleMeta) -> bool {
        self.code == other.code
    }
}

/// Index of a file in the lint run's file table.
pub type FileId = usize;

/// A place in a file: a byte span plus, where known, the JSON Pointer of the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
    /// Inline up to 24 bytes (`/scopes/websites/base`): the model holds one per scope code
    /// and site, and copies them.
    pub pointer: Option<compact_str::CompactString>,
}

impl Location {
    pub fn new(file: FileId, span: Span) -> Location {
        Location {
            file,
            span,
            pointer: None,
        }
    }

    pub fn with_pointer(mut self, pointer: impl Into<compact_str::CompactString>) -> Location {
        self.pointer = Some(pointer.into());
        self
    }
}

/// A second location that explains the first ("the site is non-production here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub message: String,
    pub location: Location,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it (its code, name and default severity).
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub location: Location,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity (the run's configuration may change it).
    pub fn new(
        rule: &'static RuleMeta,
        location: Location,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            location,
            related: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            message: message.into(),
            location,
        });
        self
    }

    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// The rule's code (`MS001`).
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// The rule's kebab-case name.
    pub fn name(&self) -> &'static str {
        self.rule.name
    }
}

/// Masks a secret for display: its first 4 characters, then `…`.
pub fn mask_secret(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// A stable 64-bit FNV-1a hash, so fingerprints do not change between Rust releases.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_four_chars() {
        assert_eq!(mask_secret("abcdef123456"), "abcd…");
        assert_eq!(mask_secret("ab"), "ab…");
        assert_eq!(mask_secret("ébcdef"), "ébcd…");
    }

    #[test]
    fn stable_hash_is_stable_and_separates_parts() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
        assert_eq!(stable_hash(&[]), "cbf29ce484222325");
    }
}
