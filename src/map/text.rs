//! `text`: the map as a tree for the terminal — SaaS projects with their data spaces (and who
//! uses them), then installations with their sites and where each one connects.

use super::model::{DataSpace, Edge, Finding, FleetMap, Site};
use super::{edition_label, kind_label};
use std::collections::HashMap;
use std::fmt::Write as _;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn severity(&self, severity: &str, text: &str) -> String {
        match severity {
            "error" => self.wrap("1;31", text),
            "warning" => self.wrap("1;33", text),
            _ => self.wrap("1;36", text),
        }
    }
}

pub fn render(map: &FleetMap, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let sites = map.sites().count();
    let _ = writeln!(
        out,
        "{} {} installation{}, {} site{}, {} data space{}, {} SaaS project{}",
        paint.bold("magelint map:"),
        map.installations.len(),
        plural(map.installations.len()),
        sites,
        plural(sites),
        map.data_spaces.len(),
        plural(map.data_spaces.len()),
        map.projects.iter().filter(|p| p.id.is_some()).count(),
        plural(map.projects.iter().filter(|p| p.id.is_some()).count()),
    );
    let site_names: HashMap<&str, (String, &Site)> = map
        .installations
        .iter()
        .flat_map(|i| {
            i.sites.iter().map(move |s| {
                let label = if i.repository.is_some() {
                    s.name.clone()
                } else {
                    join(&i.name, &s.name)
                };
                (s.id.as_str(), (label, s))
            })
        })
        .collect();
    // Edges by site and by data space, data spaces by id: looked up once per node.
    let mut by_site: HashMap<&str, Vec<&Edge>> = HashMap::new();
    let mut by_space: HashMap<&str, Vec<&Edge>> = HashMap::new();
    for edge in &map.edges {
        by_site.entry(edge.site.as_str()).or_default().push(edge);
        by_space
            .entry(edge.data_space.as_str())
            .or_default()
            .push(edge);
    }
    let spaces: HashMap<&str, &DataSpace> =
        map.data_spaces.iter().map(|d| (d.id.as_str(), d)).collect();
    let _ = writeln!(out, "\n{}", paint.bold("SaaS projects and data spaces"));
    for project in &map.projects {
        let title = match &project.id {
            Some(id) => format!("project {id}"),
            None => "no SaaS project known".to_string(),
        };
        let _ = writeln!(out, "{}", paint.bold(&title));
        findings(&mut out, &paint, "  ", &project.findings);
        for (n, id) in project.data_spaces.iter().enumerate() {
            let Some(space) = spaces.get(id.as_str()) else {
                continue;
            };
            let last = n + 1 == project.data_spaces.len();
            let (branch, rest) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let name = super::space_name(space).map_or(String::new(), |n| format!(" \"{n}\""));
            let kind = match space.kind {
                "production" => paint.wrap("1", kind_label(space.kind)),
                "unknown" => paint.dim(kind_label(space.kind)),
                _ => kind_label(space.kind).to_string(),
            };
            let _ = writeln!(out, "{branch}data space {}{name}: {kind}", space.id);
            if let Some(evidence) = &space.type_evidence {
                let _ = writeln!(out, "{rest}   {}", paint.dim(&format!("({evidence})")));
            }
            findings(&mut out, &paint, &format!("{rest}   "), &space.findings);
            for edge in by_space.get(id.as_str()).into_iter().flatten() {
                let Some((label, site)) = site_names.get(edge.site.as_str()) else {
                    continue;
                };
                let alternate = if edge.kind == "alternate" {
                    " (alternate, Product Recommendations)"
                } else {
                    ""
                };
                let codes = if edge.findings.is_empty() {
                    String::new()
                } else {
                    format!(" {}", paint.severity("error", &edge.findings.join(" ")))
                };
                let _ = writeln!(out, "{rest}   ← {label} [{}]{alternate}{codes}", site.tier);
            }
        }
    }
    let _ = writeln!(out, "\n{}", paint.bold("Installations and sites"));
    for installation in &map.installations {
        let name = installation.shown_name();
        let from = installation
            .repository
            .as_ref()
            .map_or(String::new(), |r| format!(" (repository {r})"));
        let _ = writeln!(
            out,
            "{}{from}: {} {}",
            paint.bold(name),
            edition_label(installation.edition),
            paint.dim(&format!("({})", installation.edition_evidence))
        );
        findings(&mut out, &paint, "  ", &installation.findings);
        for (n, site) in installation.sites.iter().enumerate() {
            let last = n + 1 == installation.sites.len();
            let (branch, rest) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let tier = match site.tier {
                "unknown" => paint.dim("tier unknown"),
                tier => tier.to_string(),
            };
            let codes = if site.website_codes.is_empty() {
                String::new()
            } else {
                format!(", websites {}", site.website_codes.join(", "))
            };
            let _ = writeln!(out, "{branch}{}: {tier}{codes}", site.name);
            let _ = writeln!(
                out,
                "{rest}   {}",
                paint.dim(&format!("({})", site.tier_evidence))
            );
            for edge in by_site.get(site.id.as_str()).into_iter().flatten() {
                let kind = if edge.kind == "alternate" {
                    "alternate data space"
                } else {
                    "data space"
                };
                let space_kind = map
                    .data_space(&edge.data_space)
                    .map_or("", |d| kind_label(d.kind));
                let codes = if edge.findings.is_empty() {
                    String::new()
                } else {
                    format!(" {}", paint.severity("error", &edge.findings.join(" ")))
                };
                let _ = writeln!(
                    out,
                    "{rest}   → {kind} {} ({space_kind}){codes}",
                    edge.data_space
                );
            }
            findings(&mut out, &paint, &format!("{rest}   "), &site.findings);
        }
    }
    if !map.findings.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Elsewhere"));
        findings(&mut out, &paint, "  ", &map.findings);
    }
    if !map.counts.is_empty() {
        let counts: Vec<String> = map
            .counts
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect();
        let _ = writeln!(out, "\nFindings: {}", counts.join(", "));
    }
    out
}

fn findings(out: &mut String, paint: &Paint, indent: &str, findings: &[Finding]) {
    for finding in findings {
        let shared = finding
            .website_code
            .as_ref()
            .map_or(String::new(), |c| format!(" [website `{c}`]"));
        let _ = writeln!(
            out,
            "{indent}{} {}{shared} {}",
            paint.severity(finding.severity, finding.code),
            finding.message,
            paint.dim(&format!("({})", finding.at))
        );
    }
}

fn join(installation: &str, site: &str) -> String {
    if installation.is_empty() {
        site.to_string()
    } else {
        format!("{installation}/{site}")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
