use super::Rule;
use crate::config::{DataSpaceKind, EditionKind};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{DataSpaceFacts, Evidence, Fleet};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags a SaaS project with more data spaces than Adobe provides: by type, more than one
    /// Production data space, or more than two Testing data spaces (Adobe Commerce) / any
    /// Testing data space no Open Source site uses (Magento Open Source); and by count, whatever
    /// the types written or declared, more than three distinct data space ids under one project
    /// id (Adobe Commerce), or more than one (Magento Open Source).
    ///
    /// A Testing data space an Open Source site uses is MS004's finding and is not counted
    /// again here; when the types already show the excess, the count is not reported as well.
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
    /// different `environment_id`s and the same `project_id`; or `env.php`, `env.staging.php`,
    /// `env.uat.php` and `env.qa.php` of a Commerce installation naming four different
    /// `environment_id`s with one `project_id`.
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
            check_project(fleet, project, &spaces, out);
        }
    }
}

fn kind_of(facts: &DataSpaceFacts) -> Option<DataSpaceKind> {
    facts.kind().map(|e| e.kind)
}

/// One project's data spaces against its edition's quota: by type first, then by count.
fn check_project(
    fleet: &Fleet<'_>,
    project: &str,
    spaces: &[&DataSpaceFacts],
    out: &mut Vec<Diagnostic>,
) {
    let edition = project_edition(fleet, spaces);
    let open_source = edition.value == EditionKind::OpenSource;
    // A Testing data space an Open Source site uses is MS004's finding (one fact, one
    // finding): it is left out here, by type and by count.
    let counted: Vec<&DataSpaceFacts> = spaces
        .iter()
        .copied()
        .filter(|f| {
            !(open_source && kind_of(f) == Some(DataSpaceKind::Testing) && !f.sites.is_empty())
        })
        .collect();
    let mut reported = false;
    for kind in [DataSpaceKind::Production, DataSpaceKind::Testing] {
        let limit = match (kind, open_source) {
            (DataSpaceKind::Production, _) => 1,
            (DataSpaceKind::Testing, true) => 0,
            (DataSpaceKind::Testing, false) => 2,
        };
        let of_kind: Vec<&DataSpaceFacts> = counted
            .iter()
            .copied()
            .filter(|f| kind_of(f) == Some(kind))
            .collect();
        let Some(excess) = of_kind.get(limit) else {
            continue;
        };
        let provides = match limit {
            0 => "none".to_string(),
            n => n.to_string(),
        };
        let message = format!(
            "SaaS project {project} has {} {} data spaces, but {} provides {provides}: {}",
            of_kind.len(),
            kind.describe(),
            edition.value.describe(),
            ids(&of_kind)
        );
        out.push(finding(fleet, excess, &of_kind, message, &edition));
        reported = true;
    }
    // By count, whatever the declared types: Adobe provisions exactly 1 + 2 (Commerce) or 1
    // (Open Source) data spaces per project, so one id more is one id too many. Not repeated
    // when the types already told it.
    let limit = if open_source { 1 } else { 3 };
    if reported || counted.len() <= limit {
        return;
    }
    // Typed Production first, then Testing, then untyped, each in id order: the first beyond
    // the quota is the one pointed at (the likeliest stranger).
    let mut ordered = counted;
    ordered.sort_by_key(|f| match kind_of(f) {
        Some(DataSpaceKind::Production) => 0,
        Some(DataSpaceKind::Testing) => 1,
        None => 2,
    });
    let Some(excess) = ordered.get(limit) else {
        return;
    };
    let quota = if open_source {
        "1 (Production)"
    } else {
        "3 (1 Production, 2 Testing)"
    };
    let message = format!(
        "SaaS project {project} has {} data spaces, but {} provides {quota}: {}",
        ordered.len(),
        edition.value.describe(),
        ids(&ordered)
    );
    out.push(finding(fleet, excess, &ordered, message, &edition));
}

fn ids(spaces: &[&DataSpaceFacts]) -> String {
    spaces
        .iter()
        .map(|f| f.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The finding at `excess`, with every other data space of `all` and the edition related.
fn finding(
    fleet: &Fleet<'_>,
    excess: &DataSpaceFacts,
    all: &[&DataSpaceFacts],
    message: String,
    edition: &Evidence<EditionKind>,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(DataSpaceQuotaExceeded::RULE, anchor(fleet, excess), message)
        .help("check each id in Commerce Services Connector: correct its project_id or type, or reuse the project's existing data space");
    for facts in all.iter().filter(|f| f.id != excess.id) {
        let what = match facts.kind() {
            Some(e) => format!(
                "{} data space {}: {}",
                e.kind.describe(),
                facts.id,
                e.reason(fleet)
            ),
            None => format!("data space {} (type not written)", facts.id),
        };
        diagnostic = diagnostic.related(anchor(fleet, facts), what);
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
    diagnostic
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
