//! The Markdown a CI job summary shows (`GITHUB_STEP_SUMMARY`): the findings counted per rule,
//! and the map of the sites with findings as a Mermaid flowchart GitHub draws.

use super::model::FleetMap;
use std::fmt::Write as _;

/// Sites drawn at most: GitHub stops rendering Mermaid diagrams past a size; the rest are
/// counted.
const MAX_SITES: usize = 60;

/// The step summary of a run whose map is `map`.
pub fn step_summary(map: &FleetMap) -> String {
    let mut out = String::from("## magelint\n\n");
    if map.counts.is_empty() {
        let _ = writeln!(
            out,
            "No findings in {} installations.",
            map.installations.len()
        );
        return out;
    }
    out.push_str("| Rule | Name | Findings |\n| --- | --- | ---: |\n");
    for (code, count) in &map.counts {
        let name = crate::rules::meta(code).map_or("", |m| m.name);
        let _ = writeln!(out, "| {code} | {name} | {count} |");
    }
    let mut picture = map.with_findings_only();
    let sites = picture.sites().count();
    if sites == 0 {
        out.push_str("\nNo finding is on a site.\n");
        return out;
    }
    let mut left = MAX_SITES;
    for installation in &mut picture.installations {
        let keep = installation.sites.len().min(left);
        installation.sites.truncate(keep);
        left -= keep;
    }
    let picture = trimmed(picture);
    let _ = writeln!(
        out,
        "\n### Sites with findings\n\n```mermaid\n{}```",
        super::mermaid::render(&picture)
    );
    if sites > MAX_SITES {
        let _ = writeln!(
            out,
            "\n{} more sites with findings are not drawn: `magelint map --format html` shows them all.",
            sites - MAX_SITES
        );
    }
    out
}

/// The picture without the installations, edges and data spaces its cut left empty.
fn trimmed(mut map: FleetMap) -> FleetMap {
    map.installations
        .retain(|i| !i.sites.is_empty() || !i.findings.is_empty());
    let sites: std::collections::BTreeSet<String> = map.sites().map(|s| s.id.clone()).collect();
    map.edges.retain(|e| sites.contains(&e.site));
    let spaces: std::collections::BTreeSet<String> =
        map.edges.iter().map(|e| e.data_space.clone()).collect();
    map.data_spaces
        .retain(|d| spaces.contains(&d.id) || !d.findings.is_empty());
    for project in &mut map.projects {
        project
            .data_spaces
            .retain(|d| map.data_spaces.iter().any(|s| &s.id == d));
    }
    map.projects
        .retain(|p| !p.data_spaces.is_empty() || !p.findings.is_empty());
    map
}
