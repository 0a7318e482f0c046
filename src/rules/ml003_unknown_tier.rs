use super::Rule;
use crate::config::TierKind;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{paths, Fleet, Site};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Reports a site whose tier (production or non-production) magelint could not infer, so
    /// the rules that depend on it (MS001, MS004, MS013, MS015, MS016, MG004) skipped it.
    /// Only a site that uses Magento Services is reported: one with a data space id, a project
    /// id, an API or private key, a data space type, or `magento_saas/environment` other than
    /// `production`. A site with none of them, or only the modules' defaults
    /// (`magento_saas/environment = production`, the empty values `app:config:dump` writes),
    /// feeds no data space whatever its tier (every Cloud repository that commits only
    /// `app/etc/config.php` is one).
    ///
    /// ## Why it matters
    /// The most damaging Services mistakes (a staging site feeding the production data space)
    /// are only visible once magelint knows which sites are production. The tier comes from,
    /// first match first:
    /// - `.magelint.yaml`;
    /// - the env file's name (`env.production.php`; `env.staging.php`, `env.staging2.php`,
    ///   `env.staging-eu.php`, `env.uat1.php`, `env.php.stage`), or for a site made of
    ///   environment files alone, their name (`docker-compose.staging.yml`, `.env.production`);
    /// - a directory named for an environment, between the installation and the env file or
    ///   the installation's own (`deploy/uat/env.php`, `environments/staging/app/etc/env.php`) —
    ///   the whole name only, never a word inside it (`stage-lighting/`);
    /// - `MAGE_MODE` `developer` or `default` (also set in the site's process environment:
    ///   docker-compose, Docker env files, nginx `fastcgi_param`);
    /// - a base URL (default, website or store view scope) whose host is not a public
    ///   production host: this machine (`localhost`, `127.0.0.1`), a name without a dot
    ///   (`http://magento/`, a container's service name), a name that is not on the
    ///   public internet (`.test`, `.local`, `.localhost`, `.example`, `.invalid`, `.internal`,
    ///   `.lan`, `.docker`), a local development domain (`*.ddev.site`, `*.lndo.site`), an
    ///   Adobe Commerce on Cloud staging or integration host
    ///   (`staging-…` or `<branch>-….magentosite.cloud`, `mcstaging.…`), a subdomain label that
    ///   is an environment name as a whole (`staging.acme.com`, `dev.acme.com`,
    ///   `uat.acme.co.uk`, `staging2.acme.com`), or port 8080, 8443 or 8888.
    ///
    /// A host says nothing through its registrable domain or its public top-level domain
    /// (`shop.acme.dev`: `.dev` is a public top-level domain; `www.stage-lighting-supply.com`), nor
    /// through a word inside a label (`staging-eu.acme.com`); a `master-…` or `production-…`
    /// Cloud host may be a production one. A docker-compose file is no evidence by itself: shops
    /// run production on Docker Compose too. When nothing says, the site is not checked for them.
    ///
    /// ## Example
    /// `sites/eu/app/etc/env.php` with `MAGE_MODE` `production` and the base URL
    /// `https://www.acme.eu/`: could be production, could be a staging copy.
    ///
    /// ## Fix
    /// Declare the site in `.magelint.yaml`:
    /// ```yaml
    /// installations:
    ///   - path: sites/eu
    ///     sites: { app/etc/env.php: production }
    /// ```
    /// or name the env file for its environment (`env.production.php`, `env.staging.php`).
    ///
    /// ## Source
    /// - magelint's own tier inference and `.magelint.yaml` ("Configuration: `.magelint.yaml`": <https://github.com/magelint/magelint#configuration-magelintyaml>).
    /// - Magento 2 source, `State.php` (`MODE_DEFAULT`, `MODE_DEVELOPER`, `MODE_PRODUCTION`): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/State.php>
    /// - Adobe Commerce on Cloud guide, "Starter architecture" (the `master` branch is Production, `staging` is Staging, other branches are integration environments): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/architecture/starter-architecture>; "Pro architecture": <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/architecture/pro-architecture>
    /// - RFC 2606 and RFC 6761 (`.test`, `.example`, `.invalid`, `.localhost` are reserved): <https://www.rfc-editor.org/rfc/rfc6761>; RFC 6762 (`.local`): <https://www.rfc-editor.org/rfc/rfc6762>; RFC 8375 (`home.arpa`): <https://www.rfc-editor.org/rfc/rfc8375>
    /// - Public Suffix List (registrable domains, `co.uk`, `com.au`; `.dev` is a public top-level domain): <https://publicsuffix.org/list/>
    /// - DDEV, "Config Options" (`project_tld`, default `ddev.site`): <https://docs.ddev.com/en/stable/users/configuration/config/>; Lando, "Proxy" (`*.lndo.site`): <https://docs.lando.dev/core/v3/proxy.html>
    /// - Environment names (`staging`, `uat`, `dev`, `qa`, `preprod`…) are common naming conventions; the list is magelint's.
    pub struct UnknownTier;
    code: "ML003", name: "unknown-tier", severity: Info
}

impl Rule for UnknownTier {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        if site.tier.value != TierKind::Unknown || !uses_services(site, fleet) {
            return;
        }
        let installation = fleet.installation(site);
        // The file the site is named for: its env file, or (a site of environment files alone,
        // such as a compose file) the one that wins.
        let own_file = site.env_file.or_else(|| site.environment.last().copied());
        let anchor = site.tier.location.clone().or_else(|| {
            let file = own_file.or(installation.config_php)?;
            Some(Location::new(file, first_line(fleet, file)))
        });
        let Some(location) = anchor else { return };
        let path = if installation.name.is_empty() {
            "."
        } else {
            installation.name.as_str()
        };
        let key = match own_file {
            Some(file) => relative(fleet.display_path(file), &installation.name),
            None => "production".to_string(),
        };
        out.push(
            Diagnostic::new(
                Self::RULE,
                location,
                format!("the tier of site {} is unknown ({}); tier rules skip it", site.name, site.tier.reason),
            )
            .help(format!(
                "declare it in .magelint.yaml: `installations: [{{path: {path}, sites: {{{key}: production}}}}]` (or non-production)"
            )),
        );
    }
}

/// Whether the site connects to Magento Services: a data space, a project, a key, a data space
/// type, or a key pair other than the default `production` selected. Defaults (unset, empty,
/// `production`) say nothing, so a site without Services is not asked for its tier.
fn uses_services(site: &Site, fleet: &Fleet<'_>) -> bool {
    if site.data_space.is_some() {
        return true;
    }
    let set = |path: &str| fleet.system_setting(site, path).is_some_and(|s| s.is_set());
    // The id too: a dynamic one (`getenv(…)`) is no `data_space` but still a connection.
    if [
        paths::DEFAULT_ENVIRONMENT_ID,
        paths::DEFAULT_PROJECT_ID,
        paths::DEFAULT_ENVIRONMENT_TYPE,
    ]
    .iter()
    .any(|path| set(path))
    {
        return true;
    }
    let has_key = ["production", "sandbox"].iter().any(|environment| {
        ["api_key", "private_key"].iter().any(|kind| {
            fleet
                .services_key(site, environment, kind)
                .is_some_and(|s| s.is_set())
        })
    });
    has_key
        || fleet.key_environment(site).is_some_and(|s| {
            s.is_dynamic()
                || s.text()
                    .is_some_and(|t| !t.trim().eq_ignore_ascii_case("production"))
        })
}

/// The span of the file's first line (`<?php`), without its line break.
fn first_line(fleet: &Fleet<'_>, file: usize) -> Span {
    let text = fleet.files.get(file).map_or("", |f| f.text.as_str());
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    Span::new(0, end)
}

/// `sites/eu/app/etc/env.php` relative to the installation `sites/eu`.
fn relative(path: &str, installation: &str) -> String {
    if installation.is_empty() || installation == "." {
        return path.to_string();
    }
    path.strip_prefix(installation)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}
