use super::{FileContext, Rule};
use crate::model::Fleet;
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Flags a value outside its allowed set: not one of an enumeration (the allowed values are
    /// listed), outside a range (the bounds are given) or not of the expected form.
    ///
    /// ## Why it matters
    /// `MAGE_MODE` outside default/developer/production stops Magento; `magento_saas/environment`
    /// other than production/sandbox makes every Services Connector key path unresolvable.
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
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/Environment.php`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - ece-tools, `config/schema.yaml` (allowed values and ranges): <https://github.com/magento/ece-tools/blob/HEAD/config/schema.yaml>
    pub struct InvalidValue;
    code: "SCH003", name: "invalid-value", severity: Error,
    ece_tools: [10]
}

impl Rule for InvalidValue {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::InvalidValue, Self::RULE, out);
    }

    /// `.magento.env.yaml` variables, against the ece-tools schema each project runs.
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        crate::check::env_yaml::push_findings(fleet, crate::schema::Problem::InvalidValue, Self::RULE, out);
    }
}
