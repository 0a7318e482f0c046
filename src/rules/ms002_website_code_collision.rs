use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Site};
use std::collections::HashMap;

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
    /// Commerce Services guide `help/landing/saas.md` ("all websites must have unique codes");
    /// `help/live-search/graphql.md` request headers; ../shared/DOMAIN.md §1.3 and §7.8.
    pub struct WebsiteCodeCollision;
    code: "MS002", name: "website-code-collision", severity: Error
}

impl Rule for WebsiteCodeCollision {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        for (id, facts) in &fleet.data_spaces {
            // Index the data space's sites by website code, so only pairs that share a code are
            // weighed (all pairs would be quadratic when many sites share one data space).
            let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
            for (n, &site) in facts.sites.iter().enumerate() {
                for (code, _) in fleet.sites[site].website_codes.iter() {
                    by_code.entry(code.as_str()).or_default().push(n);
                }
            }
            // (first, second) positions in `facts.sites` of the pairs sharing a code; the same
            // pair order as visiting every pair.
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for positions in by_code.values() {
                for (i, &n) in positions.iter().enumerate() {
                    pairs.extend(positions[i + 1..].iter().map(|&m| (n, m)));
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
                collide(id, a, b, out);
            }
        }
    }
}

fn collide(id: &str, a: &Site, b: &Site, out: &mut Vec<Diagnostic>) {
    for (code, location) in a.website_codes.iter() {
        let Some((_, other)) = b.website_codes.iter().find(|(c, _)| c == code) else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            WebsiteCodeCollision::CODE,
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
