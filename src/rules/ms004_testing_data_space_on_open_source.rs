use super::Rule;
use crate::config::{DataSpaceKind, EditionKind};
use crate::diagnostic::Diagnostic;
use crate::model::{paths, setting_location, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a Magento Open Source site that is connected to a Testing data space or that
    /// selects the sandbox key pair (`magento_saas/environment = sandbox`). Sandbox keys that
    /// are merely entered, with the production pair selected, are not reported. A Testing data
    /// space reported here is not counted again by MS005 (data space quota).
    ///
    /// ## Why it matters
    /// The Commerce Services Connector guide gives Open Source one production data space and no
    /// testing data spaces (Commerce gets one production and two testing). A Testing data space
    /// id on an Open Source site, or the sandbox pair selected, usually comes from a Commerce
    /// project or a tutorial: the site is connected to a data space Adobe did not provision for
    /// it.
    ///
    /// Exception: Payment Services (available on Open Source) tells every merchant to enter both
    /// the production and the sandbox key pair in the Commerce Services Connector, and gives
    /// merchants entitled to it one production and two testing data spaces. Entering the
    /// sandbox keys is therefore never reported; if an Open Source installation really uses a
    /// Payment Services testing data space, suppress MS004 on that site with a reason.
    ///
    /// ## Example
    /// An Open Source installation (`composer.json` requires
    /// `magento/product-community-edition`) whose `app/etc/env.php` has
    /// `'magento_saas' => ['environment' => 'sandbox']`.
    ///
    /// ## Fix
    /// Use the project's single Production data space and select the production keys on the
    /// production site, and leave the Services Connector unconfigured on non-production copies.
    /// If the installation is really Adobe Commerce, declare `edition: commerce` in
    /// `.magelint.yaml`.
    ///
    /// ## Source
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (Magento Open Source: one production data space, no testing data spaces)
    /// - Adobe Payment Services guide, "Connect Your Instance" (API keys for both sandbox and production; only one pair is used at a time; merchants entitled to Payment Services can use one production and two testing data spaces): <https://experienceleague.adobe.com/docs/commerce-merchant-services/payment-services/get-started/connect.html>
    /// - Adobe Payment Services guide, "Payment Services onboarding flow" (the same onboarding, sandbox first, for Adobe Commerce and Magento Open Source): <https://experienceleague.adobe.com/en/docs/commerce/payment-services/get-started/onboard>
    /// - Adobe Commerce Admin guide, "Payments overview" (Payment Services for Adobe Commerce and Magento Open Source, with sandbox testing): <https://experienceleague.adobe.com/docs/commerce-admin/stores-sales/payments/payments.html>
    /// - Adobe Commerce on Cloud project template `composer.json` (edition packages): <https://github.com/magento/magento-cloud/blob/HEAD/composer.json>
    pub struct TestingDataSpaceOnOpenSource;
    code: "MS004", name: "testing-data-space-on-open-source", severity: Error
}

impl Rule for TestingDataSpaceOnOpenSource {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let edition = &fleet.installation(site).edition;
        if edition.value != EditionKind::OpenSource {
            return;
        }
        // A finding resting only on settings every site shares (config.php) reads the same for
        // each site ("every site of …"), and the engine keeps one.
        let mut found = Vec::new();
        if let Some(space) = &site.data_space {
            let shared = space.origin.is_shared();
            if let Some(kind) = fleet
                .data_space_kind(&space.id)
                .filter(|k| k.kind == DataSpaceKind::Testing)
            {
                let message = format!(
                    "{} is connected to Testing data space {}; Open Source has no testing data spaces",
                    who(fleet, site, shared),
                    space.id
                );
                let diagnostic = Diagnostic::new(Self::RULE, space.location.clone(), message);
                let diagnostic = if kind.location != space.location {
                    diagnostic.related(
                        kind.location.clone(),
                        format!("the data space is Testing: {}", kind.reason(fleet)),
                    )
                } else {
                    diagnostic
                };
                found.push(diagnostic);
            }
        }
        let environment_path = format!("default/{}", paths::KEY_ENVIRONMENT);
        if let Some(setting) = fleet
            .key_environment(site)
            .filter(|s| s.text().as_deref() == Some("sandbox"))
        {
            let shared = setting.is_shared();
            found.push(Diagnostic::new(
                Self::RULE,
                setting_location(&setting, &environment_path),
                format!("{} selects the sandbox key pair (magento_saas/environment = sandbox); Open Source has no sandbox", who(fleet, site, shared)),
            ));
        }
        for diagnostic in found {
            let diagnostic = match &edition.location {
                Some(location) => diagnostic.related(
                    location.clone(),
                    format!(
                        "the installation is Magento Open Source: {}",
                        edition.reason
                    ),
                ),
                None => diagnostic,
            };
            out.push(diagnostic.help("use the project's Production data space and production keys, on the production site only"));
        }
    }
}

/// "Open Source site `app/etc/env.php`", or "every site of Open Source installation `shop`" for
/// a finding resting only on settings every site shares.
fn who(fleet: &Fleet<'_>, site: &Site, shared: bool) -> String {
    if shared {
        format!(
            "every site of Open Source installation {}",
            fleet.installation(site).name
        )
    } else {
        format!("Open Source site {}", site.name)
    }
}
