use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Flags a map that lacks a key the schema requires, pointing at the key of that map.
    ///
    /// ## Why it matters
    /// A `.magento.app.yaml` without `type`, a service without `type` or a route without `type`
    /// is rejected by the Cloud platform at push time; a `.magelint.yaml` data space without
    /// `id` cannot be matched.
    ///
    /// ## Example
    /// ```yaml
    /// mysql:
    ///   disk: 2048        # lacks type: mysql:11.4
    /// ```
    ///
    /// ## Fix
    /// Add the missing key.
    ///
    /// ## Source
    /// - magelint's bundled JSON Schemas: <https://github.com/magelint/magelint/tree/main/schemas>
    /// - Adobe Commerce on Cloud project template: <https://github.com/magento/magento-cloud/blob/HEAD/.magento.app.yaml>, <https://github.com/magento/magento-cloud/blob/HEAD/.magento/services.yaml>, <https://github.com/magento/magento-cloud/blob/HEAD/.magento/routes.yaml>
    /// - Adobe Commerce on Cloud guide, "Configure PHP application" (`.magento.app.yaml`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/app/configure-app-yaml>
    /// - magelint's own `.magelint.yaml` ("Configuration: `.magelint.yaml`": <https://github.com/magelint/magelint#configuration-magelintyaml>)
    pub struct MissingKey;
    code: "SCH004", name: "missing-key", severity: Error
}

impl Rule for MissingKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::MissingKey, Self::RULE, out);
    }
}
