use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Flags a key the bundled schema of the file does not know: a misspelt env.php section, an
    /// unknown ece-tools variable, a `.magelint.yaml` option that does not exist. An ece-tools
    /// variable written in a stage it does not belong to is reported as an **error** naming the
    /// stages it belongs to.
    ///
    /// ## Why it matters
    /// Magento and ece-tools ignore or reject unknown keys: a misspelt `SCD_STRATEGY` silently
    /// falls back to the default, and ece-tools fails the build with "The X variable is not
    /// allowed in configuration." or "...is not supposed to be in stage ...".
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   build:
    ///     SCD_STRATEGI: compact     # did you mean SCD_STRATEGY?
    ///   deploy:
    ///     SCD_USE_BALER: true       # belongs to global, build
    /// ```
    ///
    /// ## Fix
    /// Correct the spelling, move the variable to a stage it belongs to, or delete it.
    /// `magelint schema NAME` prints the schema with every known key.
    ///
    /// ## Source
    /// - magelint's bundled JSON Schemas: <https://github.com/magelint/magelint/tree/main/schemas>
    /// - ece-tools, `config/schema.yaml`: <https://github.com/magento/ece-tools/blob/HEAD/config/schema.yaml>
    /// - ece-tools, `src/Config/Validator/Build/StageConfig.php` ("The X variable is not allowed in configuration."): <https://github.com/magento/ece-tools/blob/HEAD/src/Config/Validator/Build/StageConfig.php>
    /// - Adobe Commerce Configuration guide, "env.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-envphp>
    /// - Adobe Commerce on Cloud guide, "Configure environment variables for deployment" (`.magento.env.yaml`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/configure-env-yaml>
    pub struct UnknownKey;
    code: "SCH001", name: "unknown-key", severity: Warning
}

impl Rule for UnknownKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::UnknownKey, Self::RULE, out);
    }
}
