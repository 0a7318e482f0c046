use super::Rule;
use crate::config::TierKind;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Fleet, Site};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Reports a site whose tier (production or non-production) magelint could not infer, so
    /// the rules that depend on it (MS001, MS004, MS013, MS015, MS016, MG004) skipped it.
    ///
    /// ## Why it matters
    /// The most damaging Services mistakes (a staging site feeding the production data space)
    /// are only visible once magelint knows which sites are production. The tier comes from
    /// `.magelint.yaml`, the env file's name (`env.staging.php`; for a site made of environment
    /// files alone, their name: `docker-compose.staging.yml`, `.env.production`), `MAGE_MODE`
    /// developer/default (also set in the site's process environment) or a non-production base
    /// URL; when none says, the site is not checked for them. A docker-compose file is no
    /// evidence by itself: shops run production on Docker Compose too.
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
    /// - Non-production base URLs are recognised by common naming conventions (`staging`, `uat`, `dev`, `.test`, Fastly's `mcstaging.` prefix on Adobe Commerce on Cloud); the list is magelint's.
    pub struct UnknownTier;
    code: "ML003", name: "unknown-tier", severity: Info
}

impl Rule for UnknownTier {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        if site.tier.value != TierKind::Unknown {
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
