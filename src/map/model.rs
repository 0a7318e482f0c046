//! The map's model: SaaS projects holding their data spaces, installations holding their sites,
//! the edges between sites and data spaces, and every finding placed on what it is about. Built
//! from the same `Fleet` as `check`, and secret-free like a footprint: ids, codes, tiers, paths,
//! evidence in words and the findings' (masked) messages only.

use crate::config::{DataSpaceKind, EditionKind, TierKind};
use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::model::{paths, Fleet};
use crate::run::Report;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The version of the map's JSON (`schemas/magelint-map.schema.json`).
pub const VERSION: u64 = 1;

/// Findings drawn on the site → data space edge rather than only on the site.
const EDGE_CODES: &[&str] = &["MS001", "MS013"];
/// Findings drawn on the alternate (Product Recommendations) edge.
const ALTERNATE_EDGE_CODES: &[&str] = &["MS015"];

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FleetMap {
    pub version: u64,
    pub tool: String,
    pub projects: Vec<Project>,
    pub data_spaces: Vec<DataSpace>,
    pub installations: Vec<Installation>,
    pub edges: Vec<Edge>,
    /// Findings on no installation, site, data space or project (e.g. in `.magelint.yaml`).
    pub findings: Vec<Finding>,
    /// Findings per rule code, over the whole map.
    pub counts: BTreeMap<String, usize>,
}

/// A SaaS project; `id` is `None` for the data spaces whose project no site or declaration names.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Project {
    pub id: Option<String>,
    /// Ids of its data spaces (a data space naming several projects is drawn in the first).
    pub data_spaces: Vec<String>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DataSpace {
    pub id: String,
    /// `services_id/environment_name`, where a site writes it.
    pub name: Option<String>,
    /// `production`, `testing` or `unknown`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Why the type is what it is, in words.
    pub type_evidence: Option<String>,
    pub type_at: Option<String>,
    pub projects: Vec<String>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Installation {
    pub name: String,
    /// The other repository it comes from (`--footprint`), if not this one.
    pub repository: Option<String>,
    /// `commerce`, `open-source` or `unknown`.
    pub edition: &'static str,
    pub edition_evidence: String,
    pub findings: Vec<Finding>,
    pub sites: Vec<Site>,
}

impl Installation {
    /// The name as drawn: the linted directory itself is `.`.
    pub fn shown_name(&self) -> &str {
        if self.name.is_empty() {
            "."
        } else {
            &self.name
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Site {
    /// `s<N>`: the site's id in the map (edges refer to it).
    pub id: String,
    pub name: String,
    /// Its env file (`None`: a declared deployment or another repository's site).
    pub env_file: Option<String>,
    /// `production`, `non-production` or `unknown`.
    pub tier: &'static str,
    pub tier_evidence: String,
    pub tier_at: Option<String>,
    pub website_codes: Vec<String>,
    pub data_space: Option<String>,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Edge {
    pub site: String,
    pub data_space: String,
    /// `environment` (`services_id/environment_id`) or `alternate` (Product Recommendations'
    /// `alternate_environment_id`, enabled).
    pub kind: &'static str,
    /// Where the id is written.
    pub at: Option<String>,
    /// Codes of the findings about this connection (MS001 on an environment edge).
    pub findings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub at: String,
    /// The website code two sites share (MS002).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_code: Option<String>,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    /// (installation, site within it)
    Site(usize, usize),
    Installation(usize),
    DataSpace(usize),
    Project(usize),
    Fleet,
}

/// A place in a file, hashable.
type Place = (FileId, u32, u32);

fn place(location: &Location) -> Place {
    (location.file, location.span.start, location.span.end)
}

/// The map being built: the model, and what is needed to place findings once the report is
/// finished (the fleet is gone by then).
pub struct Builder {
    map: FleetMap,
    /// Fleet site index → (installation, position in it).
    slots: Vec<(usize, usize)>,
    /// Site-rule findings (code, place, message) → the sites they were found on.
    by_site_rule: HashMap<(&'static str, Place, String), Vec<usize>>,
    env_file_site: HashMap<FileId, usize>,
    file_installation: HashMap<FileId, usize>,
    /// Where sites write their data space id → those sites.
    site_space_places: HashMap<Place, Vec<usize>>,
    /// Where data spaces are used or typed → those data spaces.
    space_places: HashMap<Place, Vec<usize>>,
    /// Website code locations → the code.
    code_places: HashMap<Place, String>,
}

impl Builder {
    /// The model of `fleet`; `attributed` are the site and fleet findings with their site.
    pub fn new(fleet: &Fleet<'_>, attributed: &[(Option<usize>, Diagnostic)]) -> Builder {
        let mut builder = Builder {
            map: FleetMap {
                version: VERSION,
                tool: format!("magelint {}", env!("CARGO_PKG_VERSION")),
                projects: Vec::new(),
                data_spaces: Vec::new(),
                installations: Vec::new(),
                edges: Vec::new(),
                findings: Vec::new(),
                counts: BTreeMap::new(),
            },
            slots: Vec::with_capacity(fleet.sites.len()),
            by_site_rule: HashMap::new(),
            env_file_site: HashMap::new(),
            file_installation: HashMap::new(),
            site_space_places: HashMap::new(),
            space_places: HashMap::new(),
            code_places: HashMap::new(),
        };
        builder.add_installations(fleet);
        builder.add_data_spaces(fleet);
        for (site, diagnostic) in attributed {
            if let Some(site) = site {
                let key = (
                    diagnostic.rule.code,
                    place(&diagnostic.location),
                    diagnostic.message.clone(),
                );
                builder.by_site_rule.entry(key).or_default().push(*site);
            }
        }
        builder
    }

    fn add_installations(&mut self, fleet: &Fleet<'_>) {
        let mut next_id = 0;
        for (index, installation) in fleet.installations.iter().enumerate() {
            for file in installation.files() {
                self.file_installation.insert(file, index);
            }
            self.map.installations.push(Installation {
                name: installation.name.clone(),
                repository: None,
                edition: edition_name(installation.edition.value),
                edition_evidence: installation.edition.reason.to_string(),
                findings: Vec::new(),
                sites: Vec::new(),
            });
        }
        for (index, site) in fleet.sites.iter().enumerate() {
            let installation = fleet.installation(site);
            let slot = (
                site.installation,
                self.map.installations[site.installation].sites.len(),
            );
            self.slots.push(slot);
            if let Some(file) = site.env_file {
                self.env_file_site.insert(file, index);
            }
            if let Some(space) = &site.data_space {
                self.site_space_places
                    .entry(place(&space.location))
                    .or_default()
                    .push(index);
            }
            for (code, location) in site.website_codes.iter() {
                self.code_places.insert(place(location), code.to_string());
            }
            let id = format!("s{next_id}");
            next_id += 1;
            let name = match &site.foreign {
                Some(_) => site.name.clone(),
                None => short_site_name(&site.name, &installation.name),
            };
            let entry = &mut self.map.installations[site.installation];
            entry.repository = site.foreign.clone();
            entry.sites.push(Site {
                id: id.clone(),
                name,
                env_file: site.env_file.map(|f| fleet.display_path(f).to_string()),
                tier: tier_name(site.tier.value),
                tier_evidence: site.tier.reason.to_string(),
                tier_at: site.tier.location.as_ref().map(|l| fleet.describe(l)),
                website_codes: site
                    .website_codes
                    .iter()
                    .map(|(c, _)| c.to_string())
                    .collect(),
                data_space: site.data_space.as_ref().map(|s| s.id.clone()),
                findings: Vec::new(),
            });
            if let Some(space) = &site.data_space {
                self.map.edges.push(Edge {
                    site: id.clone(),
                    data_space: space.id.clone(),
                    kind: "environment",
                    at: Some(fleet.describe(&space.location)),
                    findings: Vec::new(),
                });
            }
            if let Some((alternate, at)) = alternate_data_space(fleet, site) {
                self.map.edges.push(Edge {
                    site: id,
                    data_space: alternate,
                    kind: "alternate",
                    at: Some(at),
                    findings: Vec::new(),
                });
            }
        }
    }

    fn add_data_spaces(&mut self, fleet: &Fleet<'_>) {
        // Alternate data spaces no site connects to directly are drawn too.
        let mut ids: BTreeSet<&str> = fleet.data_spaces.keys().map(String::as_str).collect();
        let edge_ids: Vec<String> = self
            .map
            .edges
            .iter()
            .map(|e| e.data_space.clone())
            .collect();
        ids.extend(edge_ids.iter().map(String::as_str));
        let mut projects: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        for (index, id) in ids.into_iter().enumerate() {
            let facts = fleet.data_spaces.get(id);
            let kind = facts.and_then(|f| f.kind());
            let mut project_ids: Vec<String> = facts
                .map(|f| f.projects.iter().map(|(p, _)| p.clone()).collect())
                .unwrap_or_default();
            project_ids.sort();
            project_ids.dedup();
            if let Some(facts) = facts {
                let places = facts
                    .sites
                    .iter()
                    .filter_map(|&s| fleet.sites.get(s)?.data_space.as_ref())
                    .map(|s| &s.location)
                    .chain(facts.evidence.iter().map(|e| &e.location))
                    .chain(facts.projects.iter().map(|(_, l)| l));
                for location in places {
                    let owners = self.space_places.entry(place(location)).or_default();
                    if !owners.contains(&index) {
                        owners.push(index);
                    }
                }
            }
            let name = facts.and_then(|f| {
                f.sites.iter().find_map(|&s| {
                    let site = fleet.sites.get(s)?;
                    let path = format!("default/{}", paths::ENVIRONMENT_NAME);
                    let text = fleet.system_setting(site, &path)?.text()?.into_owned();
                    Some(text)
                })
            });
            projects
                .entry(project_ids.first().cloned())
                .or_default()
                .push(id.to_string());
            self.map.data_spaces.push(DataSpace {
                id: id.to_string(),
                name,
                kind: match kind.map(|k| k.kind) {
                    Some(DataSpaceKind::Production) => "production",
                    Some(DataSpaceKind::Testing) => "testing",
                    None => "unknown",
                },
                type_evidence: kind.map(|k| k.reason(fleet)),
                type_at: kind.map(|k| fleet.describe(&k.location)),
                projects: project_ids,
                findings: Vec::new(),
            });
        }
        // Known projects in id order, then the data spaces of no known project.
        let (unknown, known): (Vec<_>, Vec<_>) =
            projects.into_iter().partition(|(id, _)| id.is_none());
        for (id, data_spaces) in known.into_iter().chain(unknown) {
            self.map.projects.push(Project {
                id,
                data_spaces,
                findings: Vec::new(),
            });
        }
    }

    /// Places the findings of the finished report and returns the map.
    pub fn finish(mut self, report: &Report) -> FleetMap {
        for diagnostic in &report.diagnostics {
            let finding = Finding {
                code: diagnostic.rule.code,
                severity: diagnostic.severity.as_str(),
                message: diagnostic.message.clone(),
                at: describe(report, &diagnostic.location),
                website_code: None,
            };
            *self
                .map
                .counts
                .entry(diagnostic.rule.code.to_string())
                .or_default() += 1;
            for owner in self.owners(diagnostic) {
                self.place_finding(owner, finding.clone(), diagnostic);
            }
        }
        self.map
    }

    fn owners(&self, diagnostic: &Diagnostic) -> Vec<Owner> {
        let code = diagnostic.rule.code;
        let key = (
            code,
            place(&diagnostic.location),
            diagnostic.message.clone(),
        );
        if let Some(sites) = self.by_site_rule.get(&key) {
            return sites.iter().map(|&s| self.site_owner(s)).collect();
        }
        let places: Vec<Place> = std::iter::once(&diagnostic.location)
            .chain(diagnostic.related.iter().map(|r| &r.location))
            .map(place)
            .collect();
        let spaces = || -> BTreeSet<usize> {
            places
                .iter()
                .filter_map(|p| self.space_places.get(p))
                .flatten()
                .copied()
                .collect()
        };
        let mut owners: BTreeSet<Owner> = BTreeSet::new();
        match code {
            // A quota is the project's: the project every data space named belongs to.
            "MS005" => {
                let spaces = spaces();
                for (index, project) in self.map.projects.iter().enumerate() {
                    let holds = |s: &usize| {
                        let space = &self.map.data_spaces[*s];
                        project
                            .id
                            .as_ref()
                            .is_some_and(|id| space.projects.contains(id))
                    };
                    if !spaces.is_empty() && spaces.iter().all(holds) {
                        owners.insert(Owner::Project(index));
                    }
                }
            }
            "MS014" | "MS012" => owners.extend(spaces().into_iter().map(Owner::DataSpace)),
            // A collision is on both sites: each writes the shared code to the data space.
            "MS002" => {
                for p in &places {
                    for &site in self.site_space_places.get(p).into_iter().flatten() {
                        owners.insert(self.site_owner(site));
                    }
                }
            }
            _ => {}
        }
        if owners.is_empty() {
            let file = diagnostic.location.file;
            owners.insert(
                match (
                    self.env_file_site.get(&file),
                    self.file_installation.get(&file),
                ) {
                    (Some(&site), _) => self.site_owner(site),
                    (None, Some(&installation)) => Owner::Installation(installation),
                    (None, None) => Owner::Fleet,
                },
            );
        }
        owners.into_iter().collect()
    }

    fn site_owner(&self, site: usize) -> Owner {
        match self.slots.get(site) {
            Some(&(installation, position)) => Owner::Site(installation, position),
            None => Owner::Fleet,
        }
    }

    fn place_finding(&mut self, owner: Owner, mut finding: Finding, diagnostic: &Diagnostic) {
        let map = &mut self.map;
        match owner {
            Owner::Site(installation, position) => {
                let site = &mut map.installations[installation].sites[position];
                if finding.code == "MS002" {
                    finding.website_code = std::iter::once(&diagnostic.location)
                        .chain(diagnostic.related.iter().map(|r| &r.location))
                        .find_map(|l| self.code_places.get(&place(l)))
                        .cloned();
                }
                let edge_kind = if EDGE_CODES.contains(&finding.code) {
                    Some("environment")
                } else if ALTERNATE_EDGE_CODES.contains(&finding.code) {
                    Some("alternate")
                } else {
                    None
                };
                if let Some(kind) = edge_kind {
                    let id = site.id.as_str();
                    for edge in map.edges.iter_mut() {
                        if edge.site == id
                            && edge.kind == kind
                            && !edge.findings.iter().any(|c| c == finding.code)
                        {
                            edge.findings.push(finding.code.to_string());
                        }
                    }
                }
                site.findings.push(finding);
            }
            Owner::Installation(index) => map.installations[index].findings.push(finding),
            Owner::DataSpace(index) => map.data_spaces[index].findings.push(finding),
            Owner::Project(index) => map.projects[index].findings.push(finding),
            Owner::Fleet => map.findings.push(finding),
        }
    }
}

/// "path:line" of a location in the finished report.
fn describe(report: &Report, location: &Location) -> String {
    match report.files.get(location.file) {
        Some(file) => format!(
            "{}:{}",
            file.display_path,
            file.lines.line_of(location.span.start)
        ),
        None => "?".into(),
    }
}

/// The enabled alternate data space of a site's Product Recommendations, and where its id is.
fn alternate_data_space(fleet: &Fleet<'_>, site: &crate::model::Site) -> Option<(String, String)> {
    let enabled = fleet.system_setting(site, &format!("default/{}", paths::ALTERNATE_ENABLED))?;
    if enabled.text().as_deref().map(str::trim) != Some("1") {
        return None;
    }
    let id = fleet.system_setting(
        site,
        "default/services_connector/product_recommendations/alternate_environment_id",
    )?;
    let text = id.text()?.into_owned();
    Some((text, fleet.describe(&id.location())))
}

/// A site's name inside its installation: the env file below the installation's root.
fn short_site_name(site: &str, installation: &str) -> String {
    if installation.is_empty() {
        return site.to_string();
    }
    site.strip_prefix(installation)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(site)
        .to_string()
}

pub fn tier_name(tier: TierKind) -> &'static str {
    match tier {
        TierKind::Production => "production",
        TierKind::NonProduction => "non-production",
        TierKind::Unknown => "unknown",
    }
}

pub fn edition_name(edition: EditionKind) -> &'static str {
    match edition {
        EditionKind::Commerce => "commerce",
        EditionKind::OpenSource => "open-source",
        EditionKind::Unknown => "unknown",
    }
}

impl FleetMap {
    /// The sites with findings, their installations and the data spaces they reach, with every
    /// project and data space finding (the CI summary's picture).
    pub fn with_findings_only(&self) -> FleetMap {
        let mut map = self.clone();
        for installation in &mut map.installations {
            installation.sites.retain(|s| !s.findings.is_empty());
        }
        map.installations
            .retain(|i| !i.sites.is_empty() || !i.findings.is_empty());
        let sites: BTreeSet<&str> = map
            .installations
            .iter()
            .flat_map(|i| i.sites.iter().map(|s| s.id.as_str()))
            .collect();
        map.edges.retain(|e| sites.contains(e.site.as_str()));
        let spaces: BTreeSet<String> = map.edges.iter().map(|e| e.data_space.clone()).collect();
        map.data_spaces
            .retain(|d| spaces.contains(&d.id) || !d.findings.is_empty());
        let kept: BTreeSet<String> = map.data_spaces.iter().map(|d| d.id.clone()).collect();
        for project in &mut map.projects {
            project.data_spaces.retain(|d| kept.contains(d));
        }
        map.projects
            .retain(|p| !p.data_spaces.is_empty() || !p.findings.is_empty());
        map
    }

    /// Every site, in drawing order.
    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.installations.iter().flat_map(|i| i.sites.iter())
    }

    pub fn data_space(&self, id: &str) -> Option<&DataSpace> {
        self.data_spaces.iter().find(|d| d.id == id)
    }
}
