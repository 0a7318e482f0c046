//! Footprints: a secret-free JSON summary of each site, so fleets spread over several
//! repositories can be checked together (`magelint footprint` writes one, `check --footprint`
//! reads others).
//!
//! A foreign site's facts are located in the footprint file itself (its JSON nodes), so a
//! diagnostic can show where the other repository's website code or data space came from.

use super::data_space::{Strength, Why};
use super::{
    DataSpaceEvidence, DataSpaceKind, DataSpaceRef, Evidence, Fleet, Installation, Origin, Site,
    TierKind,
};
use crate::config::EditionKind;
use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::syntax::Node;
use serde_json::{json, Value as Json};

pub const VERSION: u64 = 1;

fn tier_name(tier: TierKind) -> &'static str {
    match tier {
        TierKind::Production => "production",
        TierKind::NonProduction => "non-production",
        TierKind::Unknown => "unknown",
    }
}

fn edition_name(edition: EditionKind) -> &'static str {
    match edition {
        EditionKind::Commerce => "commerce",
        EditionKind::OpenSource => "open-source",
        EditionKind::Unknown => "unknown",
    }
}

/// The edition a footprint names (`edition_name` read back); any other name is unknown.
fn edition_named(name: Option<&str>) -> EditionKind {
    match name {
        Some("commerce") => EditionKind::Commerce,
        Some("open-source") => EditionKind::OpenSource,
        _ => EditionKind::Unknown,
    }
}

/// The tier a footprint names (`tier_name` read back); any other name is unknown.
fn tier_named(name: Option<&str>) -> TierKind {
    match name {
        Some("production") => TierKind::Production,
        Some("non-production") => TierKind::NonProduction,
        _ => TierKind::Unknown,
    }
}

/// "path:line:column" of a location, for the reader of a footprint.
fn at(fleet: &Fleet<'_>, location: &Location) -> String {
    match fleet.files.get(location.file) {
        Some(file) => {
            let p = file.lines.position(&file.text, location.span.start);
            format!("{}:{}:{}", file.display_path, p.line, p.column)
        }
        None => String::from("?"),
    }
}

/// The footprint of the local sites of `fleet`. Holds ids, codes, tiers and positions only:
/// never a key, password or other secret.
pub fn write(fleet: &Fleet<'_>, repository: &str) -> Json {
    let sites: Vec<Json> = fleet
        .sites
        .iter()
        .filter(|s| s.foreign.is_none())
        .map(|site| {
            let installation = fleet.installation(site);
            let data_space = site.data_space.as_ref().map(|space| {
                let facts = fleet.data_spaces.get(&space.id);
                let kind = facts.and_then(|f| f.kind()).filter(|e| e.is_explicit());
                json!({
                    "id": space.id,
                    "type": kind.map(|k| k.kind.describe()),
                    "projects": facts.map(|f| {
                        let mut ids: Vec<String> = f.projects.iter().map(|(p, _)| p.clone()).collect();
                        ids.sort();
                        ids.dedup();
                        ids
                    }).unwrap_or_default(),
                    "at": at(fleet, &space.location),
                })
            });
            json!({
                "name": site.name,
                "installation": installation.name,
                "tier": tier_name(site.tier.value),
                "tier_reason": site.tier.reason,
                "edition": edition_name(installation.edition.value),
                "data_space": data_space,
                "website_codes": site.website_codes.iter().map(|(code, location)| json!({"code": code.as_str(), "at": at(fleet, location)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "version": VERSION,
        "tool": format!("magelint {}", env!("CARGO_PKG_VERSION")),
        "repository": repository,
        "sites": sites,
    })
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| n.value.as_str()).map(str::to_string)
}

/// Adds the sites of every footprint file of the run as foreign sites, with their data space
/// facts. Malformed entries are skipped (the footprint file is machine-written).
pub fn add_foreign_sites(fleet: &mut Fleet<'_>) {
    let files = fleet.files;
    for (id, file) in files.iter().enumerate() {
        let (FileKind::Footprint, Some(document)) = (&file.source.kind, &file.facts) else {
            continue;
        };
        let root = &document.root;
        let repository = text(root.get("repository")).unwrap_or_else(|| file.display_path.clone());
        for entry in root.get("sites").map_or(&[][..], |s| s.value.entries()) {
            add_site(fleet, id, &repository, &entry.value);
        }
    }
}

fn add_site(fleet: &mut Fleet<'_>, file: FileId, repository: &str, node: &Node) {
    let location = |n: &Node| Location::new(file, n.span);
    let name = text(node.get("name")).unwrap_or_else(|| "?".into());
    let installation_name = text(node.get("installation")).unwrap_or_else(|| name.clone());
    let edition = edition_named(text(node.get("edition")).as_deref());
    let tier = tier_named(text(node.get("tier")).as_deref());
    fleet.installations.push(Installation {
        root: format!("{repository}:{installation_name}").into(),
        name: format!("{repository}:{installation_name}"),
        config_php: None,
        env_files: Vec::new(),
        app_yaml: None,
        composer: None,
        composer_lock: None,
        env_yaml: None,
        services_yaml: None,
        errors_local_xml: None,
        build_options_ini: None,
        edition: Evidence {
            value: edition,
            reason: format!("footprint of {repository}").into(),
            location: node.get("edition").map(location),
        },
        environment_files: Vec::new(),
        config_variables: Vec::new(),
        website_codes: Vec::new(),
        store_codes: Vec::new(),
        has_scopes: false,
    });
    let website_codes: Vec<_> = node
        .get("website_codes")
        .map_or(&[][..], |c| c.value.entries())
        .iter()
        .filter_map(|e| Some((text(e.value.get("code"))?.into(), location(&e.value))))
        .collect();
    let space = node.get("data_space").filter(|s| s.get("id").is_some());
    let data_space = space.and_then(|s| {
        let id_node = s.get("id")?;
        Some(DataSpaceRef {
            id: text(Some(id_node))?,
            location: location(id_node),
            origin: Origin::EnvFile,
        })
    });
    let index = fleet.sites.len();
    let site = Site {
        name: format!("{name} (repository {repository})"),
        installation: fleet.installations.len() - 1,
        env_file: None,
        environment: Vec::new().into(),
        config_variables: Vec::new().into(),
        excluded: Vec::new().into(),
        tier: Evidence {
            value: tier,
            reason: text(node.get("tier_reason")).unwrap_or_default().into(),
            location: node.get("tier").map(location),
        },
        website_codes: website_codes.into(),
        data_space,
        foreign: Some(repository.to_string()),
    };
    if let (Some(reference), Some(space)) = (&site.data_space, space) {
        let facts = fleet.data_spaces.entry(reference.id.clone()).or_default();
        facts.id = reference.id.clone();
        facts.sites.push(index);
        if let Some(kind_node) = space.get("type") {
            if let Some(kind) = text(Some(kind_node))
                .as_deref()
                .and_then(DataSpaceKind::parse)
            {
                facts.add_evidence(DataSpaceEvidence {
                    kind,
                    why: Why::Text(format!(
                        "the footprint of {repository} says {}",
                        kind.describe()
                    )),
                    location: location(kind_node),
                    strength: Strength::Written,
                });
            }
        }
        for project in space.get("projects").map_or(&[][..], |p| p.value.entries()) {
            if let Some(id) = text(Some(&project.value)) {
                facts.add_project(id, location(&project.value));
            }
        }
        if tier == TierKind::Production {
            facts.add_evidence(DataSpaceEvidence {
                kind: DataSpaceKind::Production,
                why: Why::Text(format!(
                    "the production site {} of {repository} uses it",
                    site.name
                )),
                location: reference.location.clone(),
                strength: Strength::UsedByProduction,
            });
        }
    }
    fleet.sites.push(site);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A footprint written by one repository is read by another: every edition and tier
    /// name must read back as what was written.
    #[test]
    fn names_read_back() {
        for edition in [
            EditionKind::Commerce,
            EditionKind::OpenSource,
            EditionKind::Unknown,
        ] {
            assert_eq!(edition_named(Some(edition_name(edition))), edition);
        }
        for tier in [
            TierKind::Production,
            TierKind::NonProduction,
            TierKind::Unknown,
        ] {
            assert_eq!(tier_named(Some(tier_name(tier))), tier);
        }
        assert_eq!(edition_named(Some("")), EditionKind::Unknown);
        assert_eq!(tier_named(None), TierKind::Unknown);
    }
}
