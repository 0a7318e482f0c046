//! .magento.env.yaml as ece-tools reads it: the value a stage sees of a variable, PHP's
//! `isset`/`empty` on the values, and the `_merge` option of the configuration variables.
//!
//! ece-tools merges `stage.global` then the stage's own section over its schema defaults, one
//! variable replacing the other as a whole (`array_replace`): a variable written in `deploy`
//! hides the same one in `global`, whatever either holds.

use crate::diagnostic::{FileId, Location};
use crate::syntax::{push_pointer, Entry, Key, Node, Value};

/// The option that asks ece-tools to merge a configuration variable into what it generates
/// instead of replacing it.
pub const MERGE: &str = "_merge";

/// The entry of `variable` written in the `stage` section (`global`, `build`, `deploy`,
/// `post-deploy`), if any.
pub fn written<'a>(root: &'a Node, stage: &str, variable: &str) -> Option<&'a Entry> {
    root.get("stage")?.get(stage)?.entry(variable)
}

/// A variable as written in one stage section.
#[derive(Clone, Copy, Debug)]
pub struct Written<'a> {
    /// The section it is written in (`global`, `deploy`...).
    pub stage: &'static str,
    pub entry: &'a Entry,
}

impl<'a> Written<'a> {
    pub fn value(&self) -> &'a Node {
        &self.entry.value
    }

    pub fn name(&self) -> &'a Key {
        &self.entry.key
    }

    /// Where the variable's name is written, with its pointer (`/stage/deploy/SCD_THREADS`).
    pub fn location(&self, file: FileId) -> Location {
        let span = self.entry.key_span.get().unwrap_or(self.entry.value.span);
        Location::new(file, span).with_pointer(self.pointer(&[]))
    }

    /// Where an option inside the variable's value is written (`keys` below the variable);
    /// the variable's own location when the option is not written.
    pub fn option_location(&self, file: FileId, keys: &[&str]) -> Location {
        let mut node = self.value();
        let mut span = None;
        for key in keys {
            let Some(entry) = node.entry(key) else {
                return self.location(file);
            };
            span = Some(entry.key_span.get().unwrap_or(entry.value.span));
            node = &entry.value;
        }
        match span {
            Some(span) => Location::new(file, span).with_pointer(self.pointer(keys)),
            None => self.location(file),
        }
    }

    fn pointer(&self, keys: &[&str]) -> String {
        let mut pointer = String::from("/stage");
        push_pointer(&mut pointer, &Key::Str(self.stage.into()));
        push_pointer(&mut pointer, self.name());
        for key in keys {
            push_pointer(&mut pointer, &Key::Str((*key).into()));
        }
        pointer
    }
}

/// The stage sections, as ece-tools names them.
pub const STAGES: [&str; 4] = ["global", "build", "deploy", "post-deploy"];

/// `variable` as written in the `stage` section (one of [`STAGES`]).
pub fn written_in<'a>(root: &'a Node, stage: &'static str, variable: &str) -> Option<Written<'a>> {
    written(root, stage, variable).map(|entry| Written { stage, entry })
}

/// `variable` as `stage` sees it: its own section's, else `global`'s.
pub fn seen<'a>(root: &'a Node, stage: &'static str, variable: &str) -> Option<Written<'a>> {
    written_in(root, stage, variable).or_else(|| written_in(root, "global", variable))
}

/// PHP's `empty()` of a value: `None` when it is only known at run time.
pub fn is_empty(node: &Node) -> Option<bool> {
    Some(match &node.value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty() || s == "0",
        Value::Array { entries, .. } => entries.is_empty(),
        Value::Dynamic(_) => return None,
    })
}

/// PHP's `isset($array[$key])` on a node: the key is there and its value is not null (a value
/// only known at run time counts as set).
pub fn isset<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Array { .. } => node.get(key).filter(|v| v.value != Value::Null),
        _ => None,
    }
}

/// PHP's `isset($array[$a][$b]...)` along `keys`.
pub fn isset_path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |node, key| isset(node, key))
}

/// A configuration variable's `_merge` handling, as ece-tools' `ConfigMerger` has it.
pub struct Merge<'a> {
    pub node: &'a Node,
}

impl<'a> Merge<'a> {
    /// The variable's value, when it is an array (YAML mapping or sequence).
    pub fn of(node: &'a Node) -> Option<Merge<'a>> {
        matches!(node.value, Value::Array { .. }).then_some(Merge { node })
    }

    /// The entries other than `_merge`.
    pub fn options(&self) -> impl Iterator<Item = &'a Entry> {
        self.node
            .value
            .entries()
            .iter()
            .filter(|e| !e.key.matches(MERGE))
    }

    /// `ConfigMerger::isEmpty`: nothing but (at most) `_merge`.
    pub fn is_empty(&self) -> bool {
        self.options().next().is_none()
    }

    /// `!empty($config['_merge'])`; a value only known at run time counts as set.
    pub fn merge_flag(&self) -> bool {
        self.node
            .get(MERGE)
            .is_some_and(|flag| is_empty(flag) != Some(true))
    }

    /// `ConfigMerger::isMergeRequired`: `_merge` is set and something else is written.
    pub fn is_merge_required(&self) -> bool {
        self.merge_flag() && !self.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{yaml, Limits};

    fn parse(text: &str) -> Node {
        yaml::parse(text, &Limits::default()).expect("parses").root
    }

    /// PHP's `empty()`: "", "0", 0, 0.0, false, null and [] are empty; "00", "0.0", " " are not.
    #[test]
    fn empty_as_php_says() {
        let root = parse("a: ''\nb: '0'\nc: 0\nd: 0.0\ne: false\nf: null\ng: []\nh: '00'\ni: '0.0'\nj: ' '\nk: [0]\nl: 'x'\n");
        let empty = |key: &str| is_empty(root.get(key).expect("key"));
        for key in ["a", "b", "c", "d", "e", "f", "g"] {
            assert_eq!(empty(key), Some(true), "{key}");
        }
        for key in ["h", "i", "j", "k", "l"] {
            assert_eq!(empty(key), Some(false), "{key}");
        }
    }

    #[test]
    fn a_stage_sees_its_own_entry_before_global() {
        let root = parse(
            "stage:\n  global: {SKIP_SCD: true, SCD_THREADS: 2}\n  deploy: {SCD_THREADS: 4}\n",
        );
        let threads = seen(&root, "deploy", "SCD_THREADS").expect("seen");
        assert_eq!(threads.value().value, Value::Int(4));
        assert_eq!(
            threads.location(7).pointer.as_deref(),
            Some("/stage/deploy/SCD_THREADS")
        );
        let skip = seen(&root, "deploy", "SKIP_SCD").expect("from global");
        assert_eq!(skip.value().value, Value::Bool(true));
        assert_eq!(skip.stage, "global");
        assert!(seen(&root, "build", "SCD_THREADS").is_some());
        assert!(written(&root, "build", "SCD_THREADS").is_none());
        assert!(seen(&parse("stage:\n"), "deploy", "X").is_none());
    }

    #[test]
    fn empty_and_isset_follow_php() {
        let root = parse("a: '0'\nb: 0.0\nc: []\nd: ' '\ne: ~\nf: {g: {h: x}}\n");
        let empty = |k: &str| root.get(k).and_then(is_empty);
        assert_eq!(
            [empty("a"), empty("b"), empty("c"), empty("d"), empty("e")],
            [Some(true), Some(true), Some(true), Some(false), Some(true)]
        );
        assert!(isset(&root, "e").is_none());
        assert!(isset(&root, "a").is_some());
        assert!(isset_path(&root, &["f", "g", "h"]).is_some());
        assert!(isset_path(&root, &["f", "g", "h", "i"]).is_none());
        assert!(isset_path(&root, &["a", "x"]).is_none());
    }

    #[test]
    fn merge_is_required_only_with_something_to_merge() {
        let merge = |text: &str| {
            let root = parse(text);
            let m = Merge::of(&root).expect("array");
            (m.is_empty(), m.merge_flag(), m.is_merge_required())
        };
        assert_eq!(merge("_merge: true\n"), (true, true, false));
        assert_eq!(merge("_merge: true\nsave: db\n"), (false, true, true));
        assert_eq!(merge("_merge: false\nsave: db\n"), (false, false, false));
        assert_eq!(merge("save: db\n"), (false, false, false));
        assert!(Merge::of(&parse("text\n")).is_none());
    }
}
