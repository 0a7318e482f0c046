use super::Rule;
use crate::config::{EditionKind, TierKind};
use crate::diagnostic::Diagnostic;
use crate::model::{paths, setting_location, Fleet, Origin, Setting, Site};

declare_rule! {
    /// ## What it does
    /// Flags a site whose selected key environment (`magento_saas/environment`, default
    /// `production`) has an API key without its private key, or a private key without its API
    /// key; or that selects the sandbox key pair (`magento_saas/environment = sandbox`) while
    /// its files give production keys only.
    ///
    /// ## Why it matters
    /// Services Connector 3.x treats the keys as set only when **both** `{env}_api_key` and
    /// `{env}_private_key` are non-empty; with one of them the Services extensions behave as if
    /// no key were configured. With only an API key, the connector falls back to the legacy
    /// `api.magento.com` gateway. `magento_saas/environment` picks which pair is read: with
    /// `sandbox` and only production keys, no pair is set, and every Services extension stops
    /// sending data.
    ///
    /// Magento reads each setting on its own, highest first: a `CONFIG__…` environment
    /// variable, `app/etc/env.php`, `app/etc/config.php`, then the database (the keys saved in
    /// the Admin). So a missing half is proven missing only where the files say so: set empty
    /// (an empty value wins over the database), or absent beside a key written in env.php or
    /// config.php, the files that hold a site's key pairs. A key given by an environment
    /// variable alone (docker-compose `environment:`, a Docker env file, nginx `fastcgi_param`,
    /// `.magento.app.yaml` `variables: env:`) is not judged without its other half: teams pass
    /// the API key that way and keep the multi-line private key in the Admin. A site whose files
    /// hold no key at all is not judged either.
    ///
    /// ## Example
    /// `app/etc/env.php` with `production_api_key` filled in and no `production_private_key`
    /// (the private key was left in the Admin of the old server); or `env.staging.php` with
    /// `'magento_saas' => ['environment' => 'sandbox']` and only the production keys.
    ///
    /// ## Fix
    /// Add the missing half of the key pair (from the Commerce account API Portal), or remove
    /// the other one; with sandbox selected, add the sandbox key pair or select `production`.
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
        // A value known only at run time selects no pair we can judge; any other value than
        // these two is MS006's finding, and selects no pair either.
        let environment = match &selected {
            None => "production".into(),
            Some(setting) => setting.text().unwrap_or_default(),
        };
        if environment != "production" && environment != "sandbox" {
            return;
        }
        let api = fleet.services_key(site, &environment, "api_key");
        let private = fleet.services_key(site, &environment, "private_key");
        if environment == "sandbox" && !is_set(&api) && !is_set(&private) {
            if let Some(selected) = &selected {
                sandbox_without_keys(site, fleet, selected, out);
            }
            return;
        }
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
        // Absent from every file, the missing half may be in the database, unless the present
        // half is written where the site keeps its key pairs.
        if missing.is_none() && !holds_key_pairs(&present) {
            return;
        }
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
        // Several sites share config.php: a finding resting on it alone reads the same for each
        // (the engine keeps one).
        let facts: Vec<&Setting<'_>> = [Some(&present), missing.as_ref(), selected.as_ref()]
            .into_iter()
            .flatten()
            .collect();
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            location,
            format!(
                "{} has a {environment} {} but no {environment} {}, so Magento treats its keys as not set",
                fleet.site_phrase(site, &facts),
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

/// Whether a key comes from a file that holds the site's key pairs (env.php, config.php),
/// where the other half would be written too; not from an environment variable, which
/// Magento reads setting by setting.
fn holds_key_pairs(setting: &Setting<'_>) -> bool {
    matches!(setting.origin, Origin::EnvFile | Origin::ConfigPhp)
}

/// Set to a known, non-empty value.
fn known(setting: &Option<Setting<'_>>) -> bool {
    setting.as_ref().is_some_and(|s| s.text().is_some())
}

/// Set to a non-empty or a dynamic value.
fn is_set(setting: &Option<Setting<'_>>) -> bool {
    setting.as_ref().is_some_and(Setting::is_set)
}

/// `magento_saas/environment = sandbox` on a site whose files give production keys and no
/// sandbox key at all: the selected pair is missing, so Magento treats the keys as not set.
/// A site with no key in env.php or config.php is not judged (its keys may be in the database);
/// Open Source (MS004) and production sites (MS016) are told about the sandbox selection
/// itself.
fn sandbox_without_keys(
    site: &Site,
    fleet: &Fleet<'_>,
    selected: &Setting<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if fleet.installation(site).edition.value == EditionKind::OpenSource
        || site.tier.value == TierKind::Production
    {
        return;
    }
    let production: Vec<Setting<'_>> = ["api_key", "private_key"]
        .into_iter()
        .filter_map(|kind| fleet.services_key(site, "production", kind))
        .filter(Setting::is_set)
        .collect();
    // Production keys from environment variables alone say nothing of where the sandbox keys
    // are kept (the Admin, perhaps): only keys written in env.php or config.php do.
    let Some(first) = production.iter().find(|s| holds_key_pairs(s)) else {
        return;
    };
    // Several sites share config.php: a finding resting on it alone reads the same for every
    // non-production site (production ones are MS016's), and the engine keeps one.
    let shared_only = selected.is_shared() && first.is_shared();
    let who = if shared_only {
        format!(
            "every non-production site of {}",
            fleet.installation(site).name
        )
    } else {
        format!("site {}", site.name)
    };
    out.push(
        Diagnostic::new(
            IncompleteKeyPair::RULE,
            setting_location(selected, paths::DEFAULT_KEY_ENVIRONMENT),
            format!(
                "{who} selects the sandbox key pair (magento_saas/environment = sandbox) but has only production keys, so Magento treats its keys as not set"
            ),
        )
        .related(first.anchor(), "a production key is set here; no sandbox key is")
        .help("add the sandbox API key and private key from the Commerce account API Portal, or select the production keys (`production`, Magento's default)"),
    );
}
