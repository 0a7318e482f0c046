//! `dot`: Graphviz — a cluster per installation (its sites) and per SaaS project (its data
//! spaces), left to right; findings as labels, red edges for MS001, dashed alternates.

use super::model::{Finding, FleetMap};
use super::{codes, kind_label, shared_codes, worst};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A DOT string literal's text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Lines of a label, joined with DOT's centred line break.
fn label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

fn finding_line(findings: &[Finding], shared: &[&str]) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    let labels: Vec<String> = codes(findings)
        .into_iter()
        .map(|code| match (code, shared.is_empty()) {
            ("MS002", false) => format!("MS002 `{}`", shared.join("`, `")),
            _ => code.to_string(),
        })
        .collect();
    Some(format!("! {}", labels.join(", ")))
}

fn colours(findings: &[Finding]) -> Option<(&'static str, &'static str)> {
    match worst(findings)? {
        "error" => Some(("#c81e1e", "#fde8e8")),
        "warning" => Some(("#b7791f", "#fdf6e3")),
        _ => Some(("#1c7ed6", "#e7f5ff")),
    }
}

pub fn render(map: &FleetMap) -> String {
    let mut out = String::from(
        "digraph magelint_map {\n  rankdir=LR;\n  compound=true;\n  \
         node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    let space_ids: HashMap<&str, usize> = map
        .data_spaces
        .iter()
        .enumerate()
        .map(|(n, d)| (d.id.as_str(), n))
        .collect();
    for (n, installation) in map.installations.iter().enumerate() {
        let mut title = super::installation_heading(installation);
        title.extend(finding_line(&installation.findings, &[]));
        let border = colours(&installation.findings).map_or("#555555", |(b, _)| b);
        let _ = writeln!(
            out,
            "  subgraph cluster_i{n} {{\n    label=\"{}\";\n    color=\"{border}\";\n    style=rounded;",
            label(&title)
        );
        for site in &installation.sites {
            let mut lines = vec![site.name.clone(), super::tier_label(site.tier).to_string()];
            if !site.website_codes.is_empty() {
                lines.push(format!("websites: {}", site.website_codes.join(", ")));
            }
            lines.extend(finding_line(&site.findings, &shared_codes(site)));
            let (border, fill, font) = match colours(&site.findings) {
                Some((border, fill)) => (border, fill, "#000000"),
                None if site.tier == "unknown" => ("#999999", "#f2f2f2", "#666666"),
                None => ("#555555", "#ffffff", "#000000"),
            };
            let dashed = if site.tier == "unknown" {
                ",dashed"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    {} [shape=box, style=\"rounded,filled{dashed}\", color=\"{border}\", fillcolor=\"{fill}\", fontcolor=\"{font}\", label=\"{}\"];",
                site.id,
                label(&lines)
            );
        }
        out.push_str("  }\n");
    }
    for (n, project) in map.projects.iter().enumerate() {
        let mut title = vec![match &project.id {
            Some(id) => format!("SaaS project {id}"),
            None => "no SaaS project known".to_string(),
        }];
        title.extend(finding_line(&project.findings, &[]));
        let border = colours(&project.findings).map_or("#1a56c4", |(b, _)| b);
        let _ = writeln!(
            out,
            "  subgraph cluster_p{n} {{\n    label=\"{}\";\n    color=\"{border}\";\n    style=rounded;",
            label(&title)
        );
        for id in &project.data_spaces {
            let Some(&index) = space_ids.get(id.as_str()) else {
                continue;
            };
            let space = &map.data_spaces[index];
            let mut lines = vec![space.id.clone()];
            lines.extend(super::space_name(space).map(str::to_string));
            lines.push(kind_label(space.kind).to_string());
            lines.extend(finding_line(&space.findings, &[]));
            let (border, fill) = match (colours(&space.findings), space.kind) {
                (Some(colours), _) => colours,
                (None, "production") => ("#1a56c4", "#e8f0fe"),
                (None, "testing") => ("#3a7d3a", "#eef7ee"),
                _ => ("#999999", "#f2f2f2"),
            };
            let _ = writeln!(
                out,
                "    d{index} [shape=cylinder, style=filled, color=\"{border}\", fillcolor=\"{fill}\", label=\"{}\"];",
                label(&lines)
            );
        }
        out.push_str("  }\n");
    }
    for edge in &map.edges {
        let Some(index) = space_ids.get(edge.data_space.as_str()) else {
            continue;
        };
        let mut words: Vec<&str> = Vec::new();
        if edge.kind == "alternate" {
            words.push("alternate");
        }
        words.extend(edge.findings.iter().map(String::as_str));
        let style = match (edge.kind, edge.findings.is_empty()) {
            ("alternate", true) => "style=dashed, color=\"#777777\"",
            ("alternate", false) => "style=dashed, color=\"#c81e1e\", penwidth=2.5",
            (_, false) => "color=\"#c81e1e\", penwidth=2.5, fontcolor=\"#c81e1e\"",
            _ => "color=\"#555555\"",
        };
        let _ = writeln!(
            out,
            "  {} -> d{index} [{style}, label=\"{}\"];",
            edge.site,
            escape(&words.join(" "))
        );
    }
    out.push_str("}\n");
    out
}
