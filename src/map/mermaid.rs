//! `mermaid`: a flowchart GitHub renders in Markdown — projects holding their data spaces on
//! the right, installations holding their sites on the left, findings as labels and colours.

use super::model::{Finding, FleetMap, Site};
use super::{codes, kind_label, shared_codes, worst};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Mermaid's label text: its own entity codes for what would end the label or start markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The label line listing finding codes: "⚠ MS002 `base`, ML003".
fn finding_line(findings: &[Finding], site: Option<&Site>) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    let shared = site.map(shared_codes).unwrap_or_default();
    let labels: Vec<String> = codes(findings)
        .into_iter()
        .map(|code| match (code, shared.is_empty()) {
            ("MS002", false) => format!("MS002 {}", shared.join(" ")),
            _ => code.to_string(),
        })
        .collect();
    Some(format!("⚠ {}", labels.join(", ")))
}

fn label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

pub fn render(map: &FleetMap) -> String {
    let mut out = String::from("flowchart LR\n");
    let space_ids: HashMap<&str, usize> = map
        .data_spaces
        .iter()
        .enumerate()
        .map(|(n, d)| (d.id.as_str(), n))
        .collect();
    let mut classes: Vec<(String, &'static str)> = Vec::new();
    for (n, installation) in map.installations.iter().enumerate() {
        let mut title = super::installation_heading(installation);
        title.extend(finding_line(&installation.findings, None));
        let _ = writeln!(out, "  subgraph i{n}[\"{}\"]", label(&title));
        for site in &installation.sites {
            let mut lines = vec![site.name.clone(), super::tier_label(site.tier).to_string()];
            if !site.website_codes.is_empty() {
                lines.push(format!("websites: {}", site.website_codes.join(", ")));
            }
            lines.extend(finding_line(&site.findings, Some(site)));
            let _ = writeln!(out, "    {}[\"{}\"]", site.id, label(&lines));
            classes.push((site.id.clone(), site_class(site)));
        }
        out.push_str("  end\n");
    }
    for (n, project) in map.projects.iter().enumerate() {
        let mut title = vec![match &project.id {
            Some(id) => format!("SaaS project {id}"),
            None => "no SaaS project known".to_string(),
        }];
        title.extend(finding_line(&project.findings, None));
        let _ = writeln!(out, "  subgraph p{n}[\"{}\"]", label(&title));
        for id in &project.data_spaces {
            let Some(&index) = space_ids.get(id.as_str()) else {
                continue;
            };
            let space = &map.data_spaces[index];
            let mut lines = vec![space.id.clone()];
            lines.extend(super::space_name(space).map(str::to_string));
            lines.push(kind_label(space.kind).to_string());
            lines.extend(finding_line(&space.findings, None));
            let _ = writeln!(out, "    d{index}[(\"{}\")]", label(&lines));
            let class = match (worst(&space.findings), space.kind) {
                (Some(_), _) => "finding",
                (None, "production") => "production",
                (None, "testing") => "testing",
                _ => "unknown",
            };
            classes.push((format!("d{index}"), class));
        }
        out.push_str("  end\n");
    }
    let mut flagged = Vec::new();
    for (n, edge) in map.edges.iter().enumerate() {
        let Some(index) = space_ids.get(edge.data_space.as_str()) else {
            continue;
        };
        let mut words: Vec<&str> = Vec::new();
        if edge.kind == "alternate" {
            words.push("alternate");
        }
        words.extend(edge.findings.iter().map(String::as_str));
        let arrow = if edge.kind == "alternate" {
            "-.->"
        } else {
            "-->"
        };
        if words.is_empty() {
            let _ = writeln!(out, "  {} {arrow} d{index}", edge.site);
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| d{index}",
                edge.site,
                escape(&words.join(" "))
            );
        }
        if !edge.findings.is_empty() {
            flagged.push(n.to_string());
        }
    }
    out.push_str(
        "  classDef production fill:#e8f0fe,stroke:#1a56c4,stroke-width:2px\n\
         \x20 classDef testing fill:#eef7ee,stroke:#3a7d3a\n\
         \x20 classDef unknown fill:#f2f2f2,stroke:#999,color:#666,stroke-dasharray:4 3\n\
         \x20 classDef site fill:#fff,stroke:#555\n\
         \x20 classDef finding fill:#fde8e8,stroke:#c81e1e,stroke-width:2px\n\
         \x20 classDef warning fill:#fdf6e3,stroke:#b7791f,stroke-width:2px\n",
    );
    // Grouped by class: one `class` line each, in a fixed order.
    for class in [
        "production",
        "testing",
        "unknown",
        "site",
        "finding",
        "warning",
    ] {
        let ids: Vec<&str> = classes
            .iter()
            .filter(|(_, c)| *c == class)
            .map(|(id, _)| id.as_str())
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    if !flagged.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#c81e1e,stroke-width:3px",
            flagged.join(",")
        );
    }
    out
}

/// A site's look: red or amber with findings, grey when its tier is unknown, plain otherwise.
fn site_class(site: &Site) -> &'static str {
    match worst(&site.findings) {
        Some("error") => "finding",
        Some(_) if site.tier == "unknown" => "unknown",
        Some(_) => "warning",
        None if site.tier == "unknown" => "unknown",
        None => "site",
    }
}
