use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::syntax::yaml::ambiguity;
use crate::syntax::{push_pointer, Key, Node, Span, Value};

declare_rule! {
    /// ## What it does
    /// Flags a plain (unquoted) value or key in a Cloud YAML file that YAML readers read
    /// differently: `010` and `-010`, `0o10`, digits with underscores (`1_000`), a number with a
    /// `+` sign (`+3`), and the YAML 1.1 boolean words `y`, `n`, `yes`, `no`, `on`, `off`.
    ///
    /// ## Why it matters
    /// The file means what ece-tools' Symfony YAML makes of it, and that depends on the
    /// version: ece-tools allows symfony/yaml 3.3 to 6.4. `010` is the octal 8 in Symfony 5.4
    /// and the string `"010"` in 6.x (and 10 for YAML 1.2 readers); `0o10` is 8 since 5.1 but a
    /// string before; `1_000` is 1000 for Symfony but a string for YAML 1.2 readers; `+3` is the
    /// float 3.0 for Symfony, where ece-tools' type checks may want an integer; `on` is a string
    /// for Symfony but `true` for YAML 1.1 readers such as PyYAML. The message names both
    /// readings and a spelling that means one thing everywhere.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   build:
    ///     SCD_THREADS: +3      # Symfony: 3.0 (a float)
    ///   deploy:
    ///     MYSQL_USE_SLAVE_CONNECTION: on   # Symfony: the string "on"
    /// ```
    ///
    /// ## Fix
    /// Write the unambiguous spelling the message gives: the decimal number (`8`, `1000`, `3`),
    /// `true`/`false` for a boolean, or quotes (`'010'`, `'on'`) for text.
    ///
    /// ## Source
    /// Symfony YAML `Inline::evaluateScalar` (5.4 and 6.4) and its upgrade notes
    /// (<https://symfony.com/doc/current/components/yaml.html>); ece-tools' symfony/yaml
    /// constraint: <https://github.com/magento/ece-tools/blob/develop/composer.json>; YAML 1.2
    /// core schema: <https://yaml.org/spec/1.2.2/#1032-tag-resolution>.
    pub struct AmbiguousScalar;
    code: "YM003", name: "ambiguous-scalar", severity: Warning
}

impl Rule for AmbiguousScalar {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !super::ym002_refused_duplicate_key::is_cloud_yaml(file) {
            return;
        }
        // The keys above the node being looked at; a pointer is written out only for a finding
        // (nearly every scalar of a file has none).
        let mut path: Vec<&Key> = Vec::new();
        let mut stack: Vec<(&Node, Option<&Key>, usize)> = vec![(&file.document.root, None, 0)];
        while let Some((node, key, depth)) = stack.pop() {
            path.truncate(depth);
            path.extend(key);
            let pointer = |path: &[&Key]| {
                let mut pointer = String::new();
                for key in path {
                    push_pointer(&mut pointer, key);
                }
                pointer
            };
            let Value::Array { entries, .. } = &node.value else {
                check(
                    file,
                    node.span,
                    || node.value.clone(),
                    || pointer(&path),
                    "value",
                    out,
                );
                continue;
            };
            for entry in entries.iter().rev() {
                if let Some(span) = entry.key_span.get() {
                    let value = || match &entry.key {
                        Key::Int(i) => Value::Int(*i),
                        Key::Str(s) => Value::String(s.clone()),
                    };
                    let child = || {
                        let mut child = pointer(&path);
                        push_pointer(&mut child, &entry.key);
                        child
                    };
                    check(file, span, value, child, "key", out);
                }
                stack.push((&entry.value, Some(&entry.key), path.len()));
            }
        }
    }
}

/// Reports the scalar written at `span` when it is plain, read as written (not tagged or an
/// alias), and ambiguous. Its value and pointer are built only when the text is ambiguous.
fn check(
    file: &FileContext<'_>,
    span: Span,
    value: impl FnOnce() -> Value,
    pointer: impl FnOnce() -> String,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(written) = file.text.get(span.range()) else {
        return;
    };
    let Some(found) = ambiguity(written) else {
        return;
    };
    let value = value();
    if !matches!(value, Value::Int(_) | Value::Float(_) | Value::String(_)) {
        return;
    }
    // A tagged scalar (`!!str 010`) is not read as written.
    if !same_reading(written, &value) {
        return;
    }
    out.push(
        Diagnostic::new(
            AmbiguousScalar::RULE,
            Location::new(file.id, span).with_pointer(pointer()),
            format!(
                "the {what} `{written}` reads as {} with Symfony YAML 5.4, but {}",
                found.symfony, found.others
            ),
        )
        .help(format!("write {}", found.unambiguous)),
    );
}

fn same_reading(written: &str, value: &Value) -> bool {
    crate::syntax::yaml::plain_reading(written).as_ref() == Some(value)
}
