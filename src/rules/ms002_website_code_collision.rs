use super::Rule;
use crate::config::{DataSpaceKind, TierKind};
use crate::diagnostic::Diagnostic;
use crate::model::{DataSpaceFacts, Fleet, Origin, Site};

declare_rule! {
    /// ## What it does
    /// Flags two sites of different installations that are connected to the same SaaS data
    /// space and define the same website code, and two deployments of one installation
    /// (`env.staging.php` and `env.uat.php`, or two nginx `server` blocks passing their own
    /// `CONFIG__…` settings) that each connect to the same data space.
    ///
    /// A site's website codes are the websites defined in `scopes/websites` (config.php, or its
    /// env file), `admin` (website 0, never a storefront) aside; a `system/websites/<code>`
    /// settings section for a website that is not defined is stale (MG006) and collides with
    /// nothing. Only where no definition exists do the settings sections tell the codes.
    /// Deployments of one installation share their config.php, so they write the same websites
    /// whatever the codes are. Not reported: the same env file reached twice (a symlink), a data
    /// space pinned for every environment in config.php (MS017), and a non-production site on a
    /// Production data space (MS001 reports that one mistake).
    ///
    /// ## Why it matters
    /// One data space may serve several websites and even several Magento installations, but
    /// only if every website code is unique across all of them: Live Search and Catalog Service
    /// partition data by `Magento-Environment-Id` + `Magento-Website-Code`, so two installations
    /// that both call their website `base` overwrite each other's catalog in the data space.
    ///
    /// ## Example
    /// `eu/app/etc/config.php` and `us/app/etc/config.php` both define website `base`, and both
    /// env files set `services_id/environment_id` to `8eb8e3be-…-000000000001`. Or
    /// `app/etc/env.staging.php` and `app/etc/env.uat.php` both set it to the project's
    /// Testing data space `8eb8e3be-…-000000000002`.
    ///
    /// ## Fix
    /// Give each installation its own data space, or rename a website code so every code is
    /// unique in the data space (renaming a code changes URLs and config scopes: plan it). Give
    /// each environment of one installation its own data space (a Commerce project has two
    /// Testing data spaces), or leave the Services Connector unconfigured on one of them.
    ///
    /// ## Source
    /// - Adobe Developer, "Live Search" GraphQL API (requests carry `Magento-Environment-Id`, `Magento-Website-Code`, `Magento-Store-Code`, `Magento-Store-View-Code`): <https://developer.adobe.com/commerce/services/graphql/live-search/>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (separate instances get their own SaaS project)
    /// - Adobe Commerce Services guide, "Commerce Services Connector": a testing data space may serve any non-production environment "as long as you don't use the same data space in multiple environments at the same time" (same page)
    /// - Magento 2 source, `store_website` in `app/code/Magento/Store/etc/db_schema.xml` and the `admin` website (id 0) every installation has: <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/etc/db_schema.xml>
    /// - Adobe Commerce Configuration guide, "Import data from configuration files" (`app:config:import` creates and deletes websites to match `scopes`): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/import-configuration>
    /// - That two installations with the same codes overwrite each other in one data space is magelint's inference from these request keys; Adobe does not document the collision itself.
    pub struct WebsiteCodeCollision;
    code: "MS002", name: "website-code-collision", severity: Error
}

impl Rule for WebsiteCodeCollision {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let spaces: Vec<_> = fleet.data_spaces.iter().collect();
        let check = |&(id, facts): &(&String, &DataSpaceFacts), out: &mut Vec<Diagnostic>| {
            // One site collides with no other; a data space no wanted site uses is not asked
            // about.
            if facts.sites.len() < 2
                || !facts
                    .sites
                    .iter()
                    .any(|&s| fleet.in_focus(fleet.sites[s].installation))
            {
                return;
            }
            deployments_of_one_installation(fleet, id, facts, out);
            // The data space's sites grouped by website code, so only pairs that share a code
            // are weighed (all pairs would be quadratic when many sites share one data space).
            // Sorted pairs of (code, position in `facts.sites`): a few per site, no hashing.
            let mut by_code: Vec<(&str, usize)> = Vec::new();
            for (n, &site) in facts.sites.iter().enumerate() {
                for (code, _) in fleet.sites[site].website_codes.iter() {
                    by_code.push((code.as_str(), n));
                }
            }
            by_code.sort_unstable();
            // (first, second) positions in `facts.sites` of the pairs sharing a code; the same
            // pair order as visiting every pair.
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for group in by_code.chunk_by(|a, b| a.0 == b.0) {
                for (i, &(_, n)) in group.iter().enumerate() {
                    pairs.extend(group[i + 1..].iter().map(|&(_, m)| (n, m)));
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            for (n, m) in pairs {
                let (a, b) = (&fleet.sites[facts.sites[n]], &fleet.sites[facts.sites[m]]);
                // Deployments of one installation are weighed above, whatever their codes.
                if a.installation == b.installation {
                    continue;
                }
                // Two sites of other repositories are those repositories' business.
                if a.foreign.is_some() && b.foreign.is_some() {
                    continue;
                }
                if ms001_reports(fleet, id, a) || ms001_reports(fleet, id, b) {
                    continue;
                }
                // Report on the local side, so the location is in this repository. (The editor
                // keeps the findings in its subject's files: no focus check per pair.)
                let (a, b) = if a.foreign.is_some() { (b, a) } else { (a, b) };
                collide(id, a, b, out);
            }
        };
        super::each_in_parallel(&spaces, check, out);
    }
}

/// Whether MS001 reports `site` on data space `id` (a non-production site on a Production data
/// space): the collision is then a consequence of that one mistake, reported once, there.
fn ms001_reports(fleet: &Fleet<'_>, id: &str, site: &Site) -> bool {
    site.tier.value == TierKind::NonProduction
        && fleet
            .data_space_kind(id)
            .is_some_and(|k| k.kind == DataSpaceKind::Production)
}

/// Two deployments of one installation (`env.staging.php` and `env.uat.php`, two vhosts) connected to the
/// same data space write the same websites into it — they share config.php, and their
/// databases are copies — so every website collides, whether or not magelint knows the codes.
/// Reported once per later deployment, naming the first. Not a second deployment: the same env
/// file reached twice (a symlink), or a data space chosen by the installation's shared
/// config (config.php, .magento.app.yaml: MS017's business) rather than by each env file.
fn deployments_of_one_installation(
    fleet: &Fleet<'_>,
    id: &str,
    facts: &DataSpaceFacts,
    out: &mut Vec<Diagnostic>,
) {
    // The deployment chose the data space itself: in its env file, or in its own process
    // environment (an nginx server block, a compose service).
    let own_choice = |site: &&Site| {
        site.foreign.is_none()
            && site
                .data_space
                .as_ref()
                .is_some_and(|space| match space.origin {
                    Origin::EnvFile => site.env_file.is_some(),
                    Origin::SiteVariable => true,
                    Origin::ConfigPhp | Origin::ConfigVariable => false,
                })
            && !ms001_reports(fleet, id, site)
    };
    let mut sites: Vec<&Site> = facts
        .sites
        .iter()
        .map(|&s| &fleet.sites[s])
        .filter(own_choice)
        .collect();
    // In path order, so which deployment is named first never depends on the order the files
    // were read in (the editor puts the open buffer first).
    sites.sort_by_cached_key(|site| {
        site.data_space.as_ref().map(|space| {
            let file = space.location.file;
            let path =
                crate::discover::path_order_key(std::path::Path::new(fleet.display_path(file)));
            (path, space.location.span.start)
        })
    });
    for (i, site) in sites.iter().enumerate() {
        if !fleet.in_focus(site.installation) {
            continue;
        }
        let first = sites[..i].iter().find(|earlier| {
            earlier.installation == site.installation && !same_file(fleet, earlier, site)
        });
        let Some(first) = first else { continue };
        let (Some(space), Some(first_space)) = (&site.data_space, &first.data_space) else {
            continue;
        };
        let codes: Vec<&str> = site.website_codes.iter().map(|(c, _)| c.as_str()).collect();
        let websites = match codes.as_slice() {
            [] => "every website they have".to_string(),
            [one] => format!("website `{one}`"),
            many => format!("websites `{}`", many.join("`, `")),
        };
        out.push(
            Diagnostic::new(
                WebsiteCodeCollision::RULE,
                space.location.clone(),
                format!(
                    "{} and {} are two deployments of one installation connected to the same data space {id}: both write {websites} into it",
                    site.name, first.name
                ),
            )
            .related(
                first_space.location.clone(),
                format!("{} is connected to data space {id} here", first.name),
            )
            .help("give each environment its own data space (a Commerce project has two Testing data spaces), or leave the Services Connector unconfigured on one of them"),
        );
    }
}

/// Whether two sites read the very same env file (one path a link to the other).
fn same_file(fleet: &Fleet<'_>, a: &Site, b: &Site) -> bool {
    let (Some(x), Some(y)) = (a.env_file, b.env_file) else {
        return false;
    };
    if x == y {
        return true;
    }
    let path = |file: usize| fleet.files.get(file).map(|f| &f.source.path);
    match (path(x), path(y)) {
        (Some(p), Some(q)) => match (std::fs::canonicalize(p), std::fs::canonicalize(q)) {
            (Ok(p), Ok(q)) => p == q,
            _ => false,
        },
        _ => false,
    }
}

fn collide(id: &str, a: &Site, b: &Site, out: &mut Vec<Diagnostic>) {
    for (code, location) in a.website_codes.iter() {
        let Some((_, other)) = b.website_codes.iter().find(|(c, _)| c == code) else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            WebsiteCodeCollision::RULE,
            location.clone(),
            format!(
                "website code `{code}` of {} is also used by {} in the same data space {id}",
                a.name, b.name
            ),
        )
        .related(other.clone(), format!("`{code}` is defined here for {}", b.name))
        .help("website codes must be unique across every installation sharing a data space: rename one, or give each installation its own data space");
        for site in [a, b] {
            if let Some(space) = &site.data_space {
                diagnostic = diagnostic.related(
                    space.location.clone(),
                    format!("{} is connected to data space {id} here", site.name),
                );
            }
        }
        out.push(diagnostic);
    }
}
