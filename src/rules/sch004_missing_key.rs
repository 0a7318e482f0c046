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
    /// `schemas/*.schema.json`; CLOUD-TPL `.magento.app.yaml`, `.magento/services.yaml`,
    /// `.magento/routes.yaml` (../shared/DOMAIN.md §4.3); ../shared/DESIGN.md §6.
    pub struct MissingKey;
    code: "SCH004", name: "missing-key", severity: Error
}

impl Rule for MissingKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::MissingKey, Self::RULE, out);
    }
}
