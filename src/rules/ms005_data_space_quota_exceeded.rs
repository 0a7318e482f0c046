use super::Rule;
use crate::config::{DataSpaceKind, EditionKind};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{DataSpaceFacts, Evidence, Fleet};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags a SaaS project with more data spaces of one type than Adobe provides: more than
    /// one Production data space, or more than two Testing data spaces (Adobe Commerce) / any
    /// Testing data space (Magento Open Source).
    ///
    /// ## Why it matters
    /// A SaaS project has exactly one Production data space, plus two Testing ones on Commerce and
    /// none on Open Source. When the fleet and `.magelint.yaml` name more, one of the ids belongs
    /// to another project or is mistyped as Production/Testing — and Magento's import then rejects
    /// it ("Requested environment does not belong to the configured project"), or two sites the
    /// team believes separate share a data space.
    ///
    /// ## Example
    /// `.magelint.yaml` declaring two data spaces of type `production` for project `acme`, or the
    /// EU and US production sites each writing `services_id/environment = Production` with
    /// different `environment_id`s and the same `project_id`.
    ///
    /// ## Fix
    /// Check each id in Commerce Services Connector: give sites of another project their own
    /// `project_id`, correct the declared types, or point the extra sites at the project's
    /// existing data spaces (one production site per Production data space).
    ///
    /// ## Source
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (Adobe Commerce: one production and two testing data spaces; Magento Open Source: one production)
    /// - Adobe Payment Services guide, "Connect Your Instance" (one production and two testing data spaces): <https://experienceleague.adobe.com/en/docs/commerce/payment-services/get-started/connect>
    /// - `magento/module-services-id` 3.3 `Plugin/EnvironmentIdOnConfigImport.php` (a data space is checked against the project on import); public copy: <https://github.com/controlaltdelete-nl/magento2-code-tracker/tree/HEAD/vendor/magento/module-services-id>
    pub struct DataSpaceQuotaExceeded;
    code: "MS005", name: "data-space-quota-exceeded", severity: Error
}

impl Rule for DataSpaceQuotaExceeded {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        // project id → data spaces of that project (distinct ids, in id order).
        let mut projects: BTreeMap<&str, Vec<&DataSpaceFacts>> = BTreeMap::new();
        for facts in fleet.data_spaces.values() {
            let mut seen = Vec::new();
            for (project, _) in &facts.projects {
                if !seen.contains(&project.as_str()) {
                    seen.push(project.as_str());
                    projects.entry(project.as_str()).or_default().push(facts);
                }
            }
        }
        for (project, spaces) in projects {
            let edition = project_edition(fleet, &spaces);
            for kind in [DataSpaceKind::Production, DataSpaceKind::Testing] {
                let limit = match (kind, edition.value) {
                    (DataSpaceKind::Production, _) => 1,
                    (DataSpaceKind::Testing, EditionKind::OpenSource) => 0,
                    (DataSpaceKind::Testing, _) => 2,
                };
                let of_kind: Vec<_> = spaces
                    .iter()
                    .filter(|f| f.kind().is_some_and(|e| e.kind == kind))
                    .collect();
                if of_kind.len() <= limit {
                    continue;
                }
                let Some(excess) = of_kind.get(limit) else {
                    continue;
                };
                let ids: Vec<&str> = of_kind.iter().map(|f| f.id.as_str()).collect();
                let mut diagnostic = Diagnostic::new(
                    Self::RULE,
                    anchor(fleet, excess),
                    format!(
                        "SaaS project {project} has {} {} data spaces, but {} provides {}: {}",
                        of_kind.len(),
                        kind.describe(),
                        edition.value.describe(),
                        match limit {
                            0 => "none".to_string(),
                            n => n.to_string(),
                        },
                        ids.join(", ")
                    ),
                )
                .help("check each id in Commerce Services Connector: correct its project_id or type, or reuse the project's existing data space");
                for facts in of_kind.iter().filter(|f| f.id != excess.id) {
                    let reason = facts.kind().map_or(String::new(), |e| e.reason(fleet));
                    diagnostic = diagnostic.related(
                        anchor(fleet, facts),
                        format!("{} data space {}: {reason}", kind.describe(), facts.id),
                    );
                }
                if let Some(location) = &edition.location {
                    diagnostic = diagnostic.related(
                        location.clone(),
                        format!(
                            "limits for {}: {}",
                            edition.value.describe(),
                            edition.reason
                        ),
                    );
                }
                out.push(diagnostic);
            }
        }
    }
}

/// Where to point at a data space: where a site connects to it, else where its type is stated.
fn anchor(fleet: &Fleet<'_>, facts: &DataSpaceFacts) -> Location {
    let used = facts
        .sites
        .iter()
        .find_map(|&i| fleet.sites.get(i)?.data_space.as_ref());
    match (used, facts.kind()) {
        (Some(space), _) => space.location.clone(),
        (None, Some(evidence)) => evidence.location.clone(),
        (None, None) => facts
            .projects
            .first()
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| Location::new(0, Default::default())),
    }
}

/// The edition whose limits apply: Open Source only when every site of the project is Open
/// Source; any Commerce site, or an unknown edition, gets the (larger) Commerce limits.
fn project_edition(fleet: &Fleet<'_>, spaces: &[&DataSpaceFacts]) -> Evidence<EditionKind> {
    let editions: Vec<&Evidence<EditionKind>> = spaces
        .iter()
        .flat_map(|f| f.sites.iter())
        .filter_map(|&i| fleet.sites.get(i))
        .map(|site| &fleet.installation(site).edition)
        .collect();
    match editions.first() {
        Some(first) if editions.iter().all(|e| e.value == EditionKind::OpenSource) => {
            (*first).clone()
        }
        _ => match editions.iter().find(|e| e.value == EditionKind::Commerce) {
            Some(commerce) => (*commerce).clone(),
            None => Evidence {
                value: EditionKind::Commerce,
                reason: "edition unknown, so the larger Adobe Commerce limits apply".into(),
                location: None,
            },
        },
    }
}
