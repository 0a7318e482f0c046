use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;

declare_rule! {
    /// ## What it does
    /// Flags a key written twice in one mapping of a Cloud YAML file (`.magento.env.yaml`,
    /// `.magento.app.yaml`, `.magento/services.yaml`, `.magento/routes.yaml`).
    ///
    /// ## Why it matters
    /// ece-tools and magento-cloud-docker read these files with Symfony YAML, which refuses the
    /// whole file on a duplicate key (`Duplicate key "…" detected`): the deploy stops (for
    /// `.magento.env.yaml`, ece-tools 4 BUILD_CONFIG_PARSE_FAILED, which the message cites). Other YAML
    /// readers keep the last value silently, so the file can look fine in an editor or a YAML
    /// linter. Symfony lets a key first written empty (`key:` with no value) be written again,
    /// and any key after a merge key `<<:` in the same mapping; those are not reported.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SCD_THREADS: 2
    ///     SCD_THREADS: 4
    /// ```
    ///
    /// ## Fix
    /// Delete the entry you do not mean. Keys that PHP makes equal count too: `1` and `'1'`,
    /// `010` and `8`.
    ///
    /// ## Source
    /// Symfony YAML `Parser::doParse` ("Duplicate key"), as ece-tools calls it:
    /// <https://github.com/magento/ece-tools/blob/develop/src/Config/Environment/Reader.php>;
    /// <https://symfony.com/doc/current/components/yaml.html>.
    pub struct RefusedDuplicateKey;
    code: "YM002", name: "refused-duplicate-key", severity: Error,
    ece_tools: [4]
}

/// The files Adobe's tools read with Symfony YAML.
pub(crate) fn is_cloud_yaml(file: &FileContext<'_>) -> bool {
    matches!(
        file.source.kind,
        FileKind::MagentoEnvYaml
            | FileKind::MagentoAppYaml
            | FileKind::ServicesYaml
            | FileKind::RoutesYaml
    )
}

impl Rule for RefusedDuplicateKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !is_cloud_yaml(file) {
            return;
        }
        for duplicate in &file.document.duplicates {
            out.push(
                Diagnostic::new(
                    Self::RULE,
                    Location::new(file.id, duplicate.again).with_pointer(duplicate.pointer()),
                    super::parse_error_message(
                        &file.source.kind,
                        format!(
                            "key `{}` is written twice: Symfony YAML refuses the whole file, so ece-tools fails to read it",
                            duplicate.key
                        ),
                    ),
                )
                .related(Location::new(file.id, duplicate.first), "first written here")
                .help("delete the entry you do not mean"),
            );
        }
    }
}
