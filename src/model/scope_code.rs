//! Website and store view codes as Magento validates them (magento/magento2
//! `Store/Model/ResourceModel/Website.php`, `Store/Model/Validation/StoreCodeValidator.php`,
//! `Store/etc/db_schema.xml`).

use crate::diagnostic::{FileId, Location};
use crate::syntax::{Document, Node};

/// `store_website.code` and `store.code` are `varchar(32)` (M2 `Store/etc/db_schema.xml`).
pub const MAX_CODE_LENGTH: usize = 32;

/// Which `scopes` section a code belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Website,
    Store,
}

impl ScopeKind {
    /// The section name under `scopes` and `system`.
    pub fn section(self) -> &'static str {
        match self {
            ScopeKind::Website => "websites",
            ScopeKind::Store => "stores",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            ScopeKind::Website => "website code",
            ScopeKind::Store => "store view code",
        }
    }
}

/// Why Magento rejects `code`, if it does. Website codes must match `/^[a-z]+[a-z0-9_]*$/`
/// (no `/i`: lower case only, M2 `Store/Model/ResourceModel/Website.php`); store view codes
/// `/^[a-z]+[a-z0-9_]*$/i` (M2 `Store/Model/Validation/StoreCodeValidator.php`).
pub fn code_problem(kind: ScopeKind, code: &str) -> Option<String> {
    let Some(first) = code.chars().next() else {
        return Some("is empty".into());
    };
    let letter = |c: char| match kind {
        ScopeKind::Website => c.is_ascii_lowercase(),
        ScopeKind::Store => c.is_ascii_alphabetic(),
    };
    let allowed = |c: char| letter(c) || c.is_ascii_digit() || c == '_';
    let letters = match kind {
        ScopeKind::Website => "lower-case letters (a-z)",
        ScopeKind::Store => "letters (a-z, A-Z)",
    };
    if let Some(bad) = code.chars().find(|&c| !allowed(c)) {
        let what = if kind == ScopeKind::Website && bad.is_ascii_uppercase() {
            "the upper-case letter".to_string()
        } else {
            "the character".to_string()
        };
        return Some(format!(
            "contains {what} `{bad}`; only {letters}, digits (0-9) and `_` are allowed"
        ));
    }
    if !letter(first) {
        return Some(format!(
            "must start with one of the {letters}, not `{first}`"
        ));
    }
    let length = code.chars().count();
    if length > MAX_CODE_LENGTH {
        return Some(format!(
            "is {length} characters long; the database column holds {MAX_CODE_LENGTH}"
        ));
    }
    None
}

/// One entry of config.php `scopes/websites` or `scopes/stores`.
pub struct ScopeEntry<'a> {
    /// The array key: the code Magento files the scope under.
    pub code: String,
    /// Where the key is written (the entry's value when the key is implicit).
    pub key_location: Location,
    pub node: &'a Node,
}

/// The entries of a config.php `scopes/<section>`, with JSON Pointers.
pub fn scope_entries(file: FileId, document: &Document, kind: ScopeKind) -> Vec<ScopeEntry<'_>> {
    let section = kind.section();
    let Some(node) = document.root.path(&format!("scopes/{section}")) else {
        return Vec::new();
    };
    node.value
        .entries()
        .iter()
        .map(|entry| {
            let mut pointer = format!("/scopes/{section}");
            crate::syntax::push_pointer(&mut pointer, &entry.key);
            ScopeEntry {
                code: entry.key.to_string(),
                key_location: Location::new(file, entry.key_span.get().unwrap_or(entry.value.span))
                    .with_pointer(pointer),
                node: &entry.value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn website_codes_are_lower_case_only() {
        for ok in ["base", "eu_fr", "b2b2", "a"] {
            assert_eq!(code_problem(ScopeKind::Website, ok), None, "{ok}");
        }
        for bad in ["Base", "eu-fr", "1base", "_base", "", "eu fr", "é"] {
            assert!(code_problem(ScopeKind::Website, bad).is_some(), "{bad}");
        }
        assert!(code_problem(ScopeKind::Website, &"a".repeat(33)).is_some());
        assert_eq!(code_problem(ScopeKind::Website, &"a".repeat(32)), None);
    }

    #[test]
    fn store_codes_accept_upper_case() {
        for ok in ["default", "IN_STORE_RETAIL_STORE_VIEW", "En_gb2"] {
            assert_eq!(code_problem(ScopeKind::Store, ok), None, "{ok}");
        }
        for bad in ["en-gb", "2nd", "_x", ""] {
            assert!(code_problem(ScopeKind::Store, bad).is_some(), "{bad}");
        }
    }
}
