use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};

declare_rule! {
    /// ## What it does
    /// Flags a key written twice in one PHP array or YAML/JSON mapping.
    ///
    /// ## Why it matters
    /// PHP keeps the first key's position but silently takes the **last** value, so the setting
    /// you read first is not the one Magento uses. Real env.php files carry two `MAGE_MODE`
    /// entries this way. YAML parsers differ: some fail, some keep the last value.
    ///
    /// ## Example
    /// ```php
    /// return [
    ///     'MAGE_MODE' => 'developer',
    ///     // ... 200 lines later
    ///     'MAGE_MODE' => 'production',
    /// ];
    /// ```
    ///
    /// ## Fix
    /// Delete the entry that should not be there, keeping the value you mean.
    ///
    /// ## Source
    /// - PHP manual, "Arrays" (with a repeated key the last value wins): <https://www.php.net/manual/en/language.types.array.php>
    /// - Real env.php files with two `MAGE_MODE` entries: <https://github.com/artifakt-io/base-magento/blob/HEAD/app/etc/env.php>, <https://github.com/kzkick2nd/k8s-sandbox/blob/HEAD/magento-deployment/env.php> (in their history)
    pub struct DuplicateKey;
    code: "MG003", name: "duplicate-key", severity: Error
}

impl Rule for DuplicateKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // In Cloud YAML files Symfony YAML refuses the file instead: YM002 reports it.
        if super::ym002_refused_duplicate_key::is_cloud_yaml(file) {
            return;
        }
        for duplicate in &file.document.duplicates {
            out.push(
                Diagnostic::new(
                    Self::RULE,
                    Location::new(file.id, duplicate.again).with_pointer(duplicate.pointer()),
                    format!(
                        "key `{}` is written twice; this later value wins",
                        duplicate.key
                    ),
                )
                .related(
                    Location::new(file.id, duplicate.first),
                    "first written here; its value is silently replaced",
                )
                .help("delete the entry you do not mean, so the file reads the way it behaves"),
            );
        }
    }
}
