use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::{paths, setting_location, Fleet, Setting, Site};

declare_rule! {
    /// ## What it does
    /// Flags a site whose selected key environment (`magento_saas/environment`, default
    /// `production`) has an API key without its private key, or a private key without its API
    /// key.
    ///
    /// ## Why it matters
    /// Services Connector 3.x treats the keys as set only when **both** `{env}_api_key` and
    /// `{env}_private_key` are non-empty; with one of them the Services extensions behave as if
    /// no key were configured. With only an API key, the connector falls back to the legacy
    /// `api.magento.com` gateway.
    ///
    /// ## Example
    /// `app/etc/env.php` with `production_api_key` filled in and no `production_private_key`
    /// (the private key was left in the Admin of the old server).
    ///
    /// ## Fix
    /// Add the missing half of the key pair (from the Commerce account API Portal), or remove
    /// the other one.
    ///
    /// ## Source
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`isApiKeySet()` needs both keys of the selected environment); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/ClientResolver.php` (legacy gateway when the private key is empty); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas>
    pub struct IncompleteKeyPair;
    code: "MS007", name: "incomplete-key-pair", severity: Warning
}

impl Rule for IncompleteKeyPair {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let selected = fleet.key_environment(site);
        let environment = match &selected {
            None => "production".into(),
            Some(setting) if setting.is_dynamic() => return,
            Some(setting) => setting.text().unwrap_or_default(),
        };
        // Any other value is MS006's finding; no key pair is selected then.
        if environment != "production" && environment != "sandbox" {
            return;
        }
        let api = fleet.services_key(site, &environment, "api_key");
        let private = fleet.services_key(site, &environment, "private_key");
        let (present, present_kind, missing, missing_kind) = match (known(&api), known(&private)) {
            (true, false) if !private.as_ref().is_some_and(Setting::is_dynamic) => {
                (api, "api_key", private, "private_key")
            }
            (false, true) if !api.as_ref().is_some_and(Setting::is_dynamic) => {
                (private, "private_key", api, "api_key")
            }
            _ => return,
        };
        let Some(present) = present else { return };
        let label = |kind: &str| {
            if kind == "api_key" {
                "API key"
            } else {
                "private key"
            }
        };
        let location = setting_location(
            &present,
            &format!("default/{}", paths::key(&environment, present_kind)),
        );
        // Several sites share config.php: report a value written there once.
        if out
            .iter()
            .any(|d| d.rule == Self::RULE && d.location == location)
        {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            location,
            format!(
                "site {} has a {environment} {} but no {environment} {}, so Magento treats its keys as not set",
                site.name,
                label(present_kind),
                label(missing_kind)
            ),
        )
        .help(format!("add {} from the Commerce account API Portal, or remove the {}", paths::key(&environment, missing_kind), label(present_kind)));
        if let Some(missing) = missing {
            diagnostic = diagnostic.related(
                missing.anchor(),
                format!("the {environment} {} is empty here", label(missing_kind)),
            );
        }
        if let Some(setting) = &selected {
            diagnostic = diagnostic.related(
                setting.anchor(),
                format!("magento_saas/environment selects the {environment} key pair here"),
            );
        }
        out.push(diagnostic);
    }
}

/// Set to a known, non-empty value.
fn known(setting: &Option<Setting<'_>>) -> bool {
    setting.as_ref().is_some_and(|s| s.text().is_some())
}
