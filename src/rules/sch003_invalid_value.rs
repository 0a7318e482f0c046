use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a value outside its allowed set: not one of an enumeration (the allowed values are
    /// listed), outside a range (the bounds are given) or not of the expected form.
    /// `magento_saas/environment` is left to MS006, which says what the value breaks. The data
    /// space type `services_connector/services_id/environment` is `Production` or `Testing` in
    /// any case (the model compares it without case), and empty means not set (the module's
    /// default).
    ///
    /// ## Why it matters
    /// `MAGE_MODE` outside default/developer/production stops Magento; a data space type other
    /// than Production or Testing is no type Adobe's registry writes.
    /// In `.magento.env.yaml`, ece-tools stops the build (ece-tools 10
    /// BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML) on `SCD_COMPRESSION_LEVEL: 12` (its Range
    /// validator: 0 to 9), `SPLIT_DB: [foo]` (only `quote` and `sales`), or a value outside
    /// a variable's allowed list: `VERBOSE_COMMANDS: enabled`, and `SCD_STRATEGY: ''` (`''` is
    /// only the default, not one of compact, quick, standard).
    ///
    /// ## Example
    /// ```php
    /// return ['MAGE_MODE' => 'prod'];
    /// ```
    ///
    /// ## Fix
    /// Use one of the listed values or a value within the bounds.
    ///
    /// ## Source
    /// - Magento 2 source, `State.php` (`MODE_DEFAULT`, `MODE_DEVELOPER`, `MODE_PRODUCTION`): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/State.php>
    /// - `magento/module-services-id` 3.3 `Plugin/EnvironmentIdOnConfigImport.php` (writes the data space type from Adobe's registry), `etc/config.xml` (empty by default); public copy: <https://github.com/controlaltdelete-nl/magento2-code-tracker/tree/HEAD/vendor/magento/module-services-id>
    /// - ece-tools, `config/schema.yaml` (allowed values and ranges): <https://github.com/magento/ece-tools/blob/HEAD/config/schema.yaml>
    pub struct InvalidValue;
    code: "SCH003", name: "invalid-value", severity: Error,
    ece_tools: [10]
}

/// Values a dedicated rule judges with more to say: one value, one finding.
/// `magento_saas/environment` of a config or env file is MS006's.
const JUDGED_ELSEWHERE: &[&str] = &["/system/default/magento_saas/environment"];

impl Rule for InvalidValue {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut found = Vec::new();
        file.push_schema_findings(crate::schema::Problem::InvalidValue, Self::RULE, &mut found);
        out.extend(found.into_iter().filter(|d| {
            !d.location
                .pointer
                .as_deref()
                .is_some_and(|p| JUDGED_ELSEWHERE.contains(&p))
        }));
    }

    /// `.magento.env.yaml` variables, against the ece-tools schema each project runs.
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        crate::check::env_yaml::push_findings(
            fleet,
            crate::schema::Problem::InvalidValue,
            Self::RULE,
            out,
        );
    }
}
