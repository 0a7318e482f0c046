use super::Rule;
use crate::diagnostic::{mask_secret, Diagnostic};
use crate::model::{paths, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a site whose sandbox API key (or private key) is the very same value as its
    /// production one.
    ///
    /// ## Why it matters
    /// Adobe's API Portal issues a separate production and sandbox key pair, and
    /// `magento_saas/environment` picks one of them together with the gateway
    /// (`commerce.adobe.io` or `commerce-beta.adobe.io`). A production key copied into the
    /// sandbox fields is sent to the sandbox gateway, which rejects it, and it hides which pair
    /// the site really uses: switching to `sandbox` for a test silently keeps production
    /// credentials.
    ///
    /// ## Example
    /// ```php
    /// 'services_connector_integration' => [
    ///     'production_api_key' => 'a3f8c0e1d2b4…',
    ///     'sandbox_api_key' => 'a3f8c0e1d2b4…',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Enter the sandbox key pair the API Portal shows for sandbox, or remove the sandbox
    /// fields if the site never uses `magento_saas/environment = sandbox`.
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/adminhtml/system.xml`, `etc/config.xml`, `Model/Environment.php` (the `{env}` of `…/{env}_api_key`, `…/{env}_private_key`, `…/{env}_gateway_url`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (production and sandbox keys are generated separately)
    pub struct SameProductionAndSandboxKey;
    code: "MS011", name: "same-production-and-sandbox-key", severity: Warning
}

impl Rule for SameProductionAndSandboxKey {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        for (kind, label) in [("api_key", "API key"), ("private_key", "private key")] {
            // The sandbox key is looked up only when there is a production one.
            let Some(production) = fleet.services_key(site, "production", kind) else {
                continue;
            };
            let Some(sandbox) = fleet.services_key(site, "sandbox", kind) else {
                continue;
            };
            // `text()` is None for dynamic and empty values: those are never judged.
            let (Some(value), Some(other)) = (production.text(), sandbox.text()) else {
                continue;
            };
            // The same placeholder twice (`CHANGE_ME`) is a template left as it is, no key.
            if value.trim() != other.trim() || crate::model::key_material::is_placeholder(&value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Self::RULE,
                    sandbox.system_location(&format!("default/{}", paths::key("sandbox", kind))),
                    format!(
                        "the sandbox {label} of {} is the production {label} (`{}`)",
                        fleet.site_phrase(site, &[&production, &sandbox]),
                        mask_secret(value.trim())
                    ),
                )
                .related(production.location(), format!("the same value is the production {label} here"))
                .help("enter the sandbox key pair from the API Portal, or remove the sandbox fields if the site never uses sandbox"),
            );
        }
    }
}
