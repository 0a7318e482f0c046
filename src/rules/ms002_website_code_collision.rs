use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::{DataSpaceFacts, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags two sites of different installations that are connected to the same SaaS data
    /// space and define the same website code.
    ///
    /// ## Why it matters
    /// One data space may serve several websites and even several Magento installations, but
    /// only if every website code is unique across all of them: Live Search and Catalog Service
    /// partition data by `Magento-Environment-Id` + `Magento-Website-Code`, so two installations
    /// that both call their website `base` overwrite each other's catalog in the data space.
    ///
    /// ## Example
    /// `eu/app/etc/config.php` and `us/app/etc/config.php` both define website `base`, and both
    /// env files set `services_id/environment_id` to `8eb8e3be-…-000000000001`.
    ///
    /// ## Fix
    /// Give each installation its own data space, or rename a website code so every code is
    /// unique in the data space (renaming a code changes URLs and config scopes: plan it).
    ///
    /// ## Source
    /// - Adobe Developer, "Live Search" GraphQL API (requests carry `Magento-Environment-Id`, `Magento-Website-Code`, `Magento-Store-Code`, `Magento-Store-View-Code`): <https://developer.adobe.com/commerce/services/graphql/live-search/>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (separate instances get their own SaaS project)
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
                // Deployments of one installation share their codes by construction; that
                // sharing is MS001's business, not a collision between installations.
                if a.installation == b.installation {
                    continue;
                }
                // Two sites of other repositories are those repositories' business.
                if a.foreign.is_some() && b.foreign.is_some() {
                    continue;
                }
                // Report on the local side, so the location is in this repository.
                let (a, b) = if a.foreign.is_some() { (b, a) } else { (a, b) };
                if fleet.in_focus(a.installation) {
                    collide(id, a, b, out);
                }
            }
        };
        super::each_in_parallel(&spaces, check, out);
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
