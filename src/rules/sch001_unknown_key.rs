use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a key the bundled schema of the file does not know: a misspelt env.php section, a
    /// `.magelint.yaml` option that does not exist, an unknown top-level section of
    /// `.magento.env.yaml`.
    ///
    /// The variables under `.magento.env.yaml`'s `stage` are checked as ece-tools' build checks
    /// them, against the ece-tools release the project runs (the installed
    /// `vendor/magento/ece-tools/config/schema.yaml`, else the release composer.lock pins, else
    /// the newest; `magelint check -v` says which): a variable that release does not have, or
    /// one written in a stage it does not belong to (or under a name that is no stage), is an
    /// **error** citing ece-tools 10 BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML, with the
    /// stages it belongs to, the release that added it or a "did you mean". A stage name
    /// ece-tools ignores (an empty `integration:`) is a warning.
    ///
    /// ## Why it matters
    /// Magento ignores unknown keys silently; ece-tools stops the build on an unknown variable
    /// ("The X variable is not allowed in configuration.") or a variable in the wrong stage
    /// ("...is not supposed to be in stage ..."), ten minutes into a deployment. `USE_LUA`
    /// exists in ece-tools 2002.1.19 and later: a project pinned to 2002.1.17 fails with it.
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
    /// - ece-tools, `src/Config/Validator/Build/StageConfig.php` and `src/Config/Schema/Validator.php` ("The X variable is not allowed in configuration."): <https://github.com/magento/ece-tools/blob/HEAD/src/Config/Schema/Validator.php>
    /// - Adobe Commerce on Cloud guide, "ECE-Tools release notes" (variables of releases after 2002.1.17): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/release-notes/ece-tools-package>
    /// - Adobe Commerce Configuration guide, "env.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-envphp>
    /// - Adobe Commerce on Cloud guide, "Configure environment variables for deployment" (`.magento.env.yaml`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/configure-env-yaml>
    pub struct UnknownKey;
    code: "SCH001", name: "unknown-key", severity: Warning,
    ece_tools: [10]
}

impl Rule for UnknownKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::UnknownKey, Self::RULE, out);
    }

    /// `.magento.env.yaml` variables, against the ece-tools schema each project runs.
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        crate::check::env_yaml::push_findings(
            fleet,
            crate::schema::Problem::UnknownKey,
            Self::RULE,
            out,
        );
    }
}
