use super::Rule;
use crate::config::TierKind;
use crate::diagnostic::Diagnostic;
use crate::model::{paths, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a production site whose `magento_saas/environment` is `sandbox`.
    ///
    /// ## Why it matters
    /// `magento_saas/environment` selects both the key pair and the gateway: `sandbox` sends
    /// every SaaS request with the sandbox keys to `commerce-beta.adobe.io`. The sandbox keys
    /// are not used by Product Recommendations or Live Search, and with only production keys
    /// entered the keys count as missing, so production's SaaS features stop working. Magento's
    /// support checker flags any value but `production`.
    ///
    /// ## Example
    /// ```php
    /// 'magento_saas' => [
    ///     'environment' => 'sandbox',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Set `magento_saas/environment` to `production` on the production site (or remove it:
    /// `production` is Magento's default).
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/config.xml`, `Model/Environment.php`, `README.md` (`magento_saas/environment` selects keys and gateway); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`isApiKeySet`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas>
    pub struct SandboxKeysOnProduction;
    code: "MS016", name: "sandbox-keys-on-production", severity: Warning
}

impl Rule for SandboxKeysOnProduction {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        if site.tier.value != TierKind::Production {
            return;
        }
        let Some(environment) = fleet.key_environment(site) else {
            return;
        };
        if environment.text().as_deref().map(str::trim) != Some("sandbox") {
            return;
        }
        let path = format!("default/{}", paths::KEY_ENVIRONMENT);
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            environment.system_location(&path),
            format!("production site {} uses the sandbox keys and gateway", site.name),
        )
        .help("set magento_saas/environment to `production` (Magento's default) on the production site");
        if let Some(location) = &site.tier.location {
            diagnostic = diagnostic.related(
                location.clone(),
                format!("the site is production: {}", site.tier.reason),
            );
        }
        out.push(diagnostic);
    }
}
