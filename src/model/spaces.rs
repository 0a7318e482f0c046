//! The data spaces of a fleet: what each site says about its data space (its written type and
//! project, and whether a production site uses it), folded with the `.magelint.yaml`
//! declarations in site order.

use super::data_space::{Strength, Why};
use super::{paths, DataSpaceEvidence, DataSpaceFacts, DataSpaceKind, Fleet, Site, TierKind};
use crate::config::Declarations;
use crate::diagnostic::Location;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What one site says about its data space (`resolve` folds these into the data spaces; the
/// editor's cache keeps them per site, since they read only the site's own installation).
#[derive(Clone, Debug)]
pub(super) enum SiteFact {
    Evidence(DataSpaceEvidence),
    Project(String, Location),
    /// A production site uses the data space (evidence naming the site, by its index).
    UsedByProduction(Location),
}

/// The facts of `site` about its data space.
pub(super) fn site_facts(fleet: &Fleet<'_>, site: &Site) -> Vec<SiteFact> {
    let mut found = Vec::new();
    let Some(space) = &site.data_space else {
        return found;
    };
    let setting = |path: &str| fleet.system_setting(site, path);
    if let Some(kind) = setting(paths::DEFAULT_ENVIRONMENT_TYPE) {
        if let Some(value) = kind
            .text()
            .as_deref()
            .and_then(DataSpaceKind::parse_written)
        {
            found.push(SiteFact::Evidence(DataSpaceEvidence {
                kind: value,
                why: Why::Written {
                    value: kind.text().unwrap_or_default().into(),
                },
                location: kind.location(),
                strength: Strength::Written,
            }));
        }
    }
    if let Some(project) =
        setting(paths::DEFAULT_PROJECT_ID).and_then(|p| Some((p.text()?, p.location())))
    {
        found.push(SiteFact::Project(project.0.into_owned(), project.1));
    }
    if site.tier.value == TierKind::Production {
        found.push(SiteFact::UsedByProduction(space.location.clone()));
    }
    found
}

/// Every site's facts about its data space, on every core, in site order.
pub(super) fn all_site_facts(fleet: &Fleet<'_>) -> Vec<Vec<SiteFact>> {
    fleet
        .sites
        .par_iter()
        .map(|site| site_facts(fleet, site))
        .collect()
}

/// The data spaces: the declarations', then each site's facts folded in site order (the order
/// evidence is weighed in). `per_site` holds one list per site of `fleet.sites` (local ones).
pub(super) fn collect_data_spaces(
    fleet: &mut Fleet<'_>,
    declarations: &Declarations,
    per_site: &[Vec<SiteFact>],
) {
    let mut spaces: BTreeMap<String, DataSpaceFacts> = BTreeMap::new();
    for declared in &declarations.data_spaces {
        let facts = spaces.entry(declared.id.value.clone()).or_default();
        facts.id = declared.id.value.clone();
        if let Some(kind) = &declared.kind {
            facts.add_evidence(DataSpaceEvidence {
                kind: kind.value,
                why: Why::Text(format!(
                    "declared {} in .magelint.yaml",
                    kind.value.describe()
                )),
                location: kind.location.clone(),
                strength: Strength::Declared,
            });
        }
        if let Some(project) = &declared.project {
            facts.add_project(project.value.clone(), project.location.clone());
        }
    }
    for ((index, site), found) in fleet.sites.iter().enumerate().zip(per_site) {
        let Some(space) = &site.data_space else {
            continue;
        };
        // Most sites share their data space with others: no key copy for those.
        if !spaces.contains_key(&space.id) {
            spaces.insert(space.id.clone(), DataSpaceFacts::default());
        }
        let Some(facts) = spaces.get_mut(&space.id) else {
            continue;
        };
        if facts.id.is_empty() {
            facts.id = space.id.clone();
        }
        facts.sites.push(index);
        for fact in found {
            match fact {
                SiteFact::Evidence(evidence) => facts.add_evidence(evidence.clone()),
                SiteFact::Project(project, location) => {
                    facts.add_project(project.clone(), location.clone())
                }
                SiteFact::UsedByProduction(location) => facts.add_evidence(DataSpaceEvidence {
                    kind: DataSpaceKind::Production,
                    why: Why::UsedBySite(index),
                    location: location.clone(),
                    strength: Strength::UsedByProduction,
                }),
            }
        }
    }
    // Statements in path order, not file order: an editor buffer or stdin text is file 0, and
    // which statement a message quotes must not depend on that.
    let files = fleet.files;
    let order = |location: &Location| {
        let path = files.get(location.file).map(|f| f.source.path.as_path());
        let key = path
            .map(crate::discover::path_order_key)
            .unwrap_or_default();
        (key, location.span.start)
    };
    for facts in spaces.values_mut() {
        facts.evidence.sort_by_cached_key(|e| order(&e.location));
    }
    fleet.data_spaces = spaces;
}
