use std::collections::HashSet;

use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::syntax::{Node, Span, Value};

declare_rule! {
    /// ## What it does
    /// Flags a `!php/object` tag in a Cloud YAML file.
    ///
    /// ## Why it matters
    /// ece-tools reads `.magento.env.yaml` with `Yaml::PARSE_CONSTANT` only, so Symfony YAML's
    /// object support is off and a `!php/object` value is read as `null`: the setting you wrote
    /// is silently not there. magelint never evaluates it either (it would unserialize PHP
    /// data); it reads `null`, as ece-tools does.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     CACHE_CONFIGURATION: !php/object 'O:8:"stdClass":0:{}'
    /// ```
    ///
    /// ## Fix
    /// Write the value as YAML (a mapping, a string, or `!php/const NAME` for a constant).
    ///
    /// ## Source
    /// Symfony YAML `Inline::evaluateScalar` (`!php/object` without `Yaml::PARSE_OBJECT`); ece-tools'
    /// reader: <https://github.com/magento/ece-tools/blob/develop/src/Config/Environment/Reader.php>;
    /// <https://symfony.com/doc/current/components/yaml.html#parsing-and-dumping-objects>.
    pub struct PhpObjectTag;
    code: "YM004", name: "php-object-tag", severity: Warning
}

const TAG: &str = "!php/object";

impl Rule for PhpObjectTag {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !super::ym002_refused_duplicate_key::is_cloud_yaml(file) || !file.text.contains(TAG) {
            return;
        }
        // Where the document holds a null: a tag counts when its value is one of them.
        let mut nulls = HashSet::new();
        let mut stack: Vec<&Node> = vec![&file.document.root];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Null => {
                    nulls.insert(node.span.start as usize);
                }
                Value::Array { entries, .. } => stack.extend(entries.iter().map(|e| &e.value)),
                _ => {}
            }
        }
        let bytes = file.text.as_bytes();
        for (at, _) in file.text.match_indices(TAG) {
            let after = at + TAG.len();
            let value = after + bytes[after..].iter().take_while(|&&b| b == b' ').count();
            if !nulls.contains(&value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Self::RULE,
                    Location::new(file.id, Span::new(at, after)),
                    "`!php/object` is read as null: ece-tools parses without object support",
                )
                .help("write the value as YAML, or `!php/const NAME` for a constant"),
            );
        }
    }
}
