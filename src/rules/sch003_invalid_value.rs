use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Flags a value outside its allowed set: not one of an enumeration (the allowed values are
    /// listed), outside a range (the bounds are given) or not of the expected form.
    ///
    /// ## Why it matters
    /// `MAGE_MODE` outside default/developer/production stops Magento; `magento_saas/environment`
    /// other than production/sandbox makes every Services Connector key path unresolvable;
    /// `SCD_COMPRESSION_LEVEL: 12` fails the ece-tools Range validator.
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
    code: "SCH003", name: "invalid-value", severity: Error
}

impl Rule for InvalidValue {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::InvalidValue, Self::RULE, out);
    }
}
