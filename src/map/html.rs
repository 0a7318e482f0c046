//! `html`: one self-contained page — inline SVG laid out by `layout`, inline CSS and a little
//! script (hover highlights a node's connections, click shows its evidence and findings, a
//! filter and a "findings only" switch). No network: a Content-Security-Policy forbids it.

use super::layout::{lay_out, Layout, Rect};
use super::model::{Finding, FleetMap, Site};
use super::{codes, edition_label, kind_label, shared_codes, worst};
use std::collections::HashMap;
use std::fmt::Write as _;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Text for XML character data and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters, with an ellipsis when cut (the full text is in the tooltip).
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The classes a finding list gives its node.
fn finding_class(findings: &[Finding]) -> &'static str {
    match worst(findings) {
        Some("error") => " has-finding has-error",
        Some("warning") => " has-finding has-warning",
        Some(_) => " has-finding has-info",
        None => "",
    }
}

fn code_label(findings: &[Finding], shared: &[&str]) -> String {
    codes(findings)
        .into_iter()
        .map(|code| match (code, shared.is_empty()) {
            ("MS002", false) => format!("MS002 `{}`", shared.join("`,`")),
            _ => code.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title(lines: &[String]) -> String {
    format!("<title>{}</title>", xml(&lines.join("\n")))
}

pub fn render(map: &FleetMap) -> String {
    let layout = lay_out(map);
    let finding_count: usize = map.counts.values().sum();
    let mut out = String::with_capacity(4096 + map.edges.len() * 600);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>magelint map</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>magelint map</h1>\n<p class=\"stats\">{} installations · {} sites · {} data spaces in {} SaaS project(s) · {} findings</p>\n",
        map.installations.len(),
        map.sites().count(),
        map.data_spaces.len(),
        map.projects.iter().filter(|p| p.id.is_some()).count(),
        finding_count,
    );
    legend(&mut out);
    out.push_str(
        "<div class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"Filter: installation, site, data space, code\" aria-label=\"Filter\">\
         <label><input id=\"only-findings\" type=\"checkbox\"> only sites with findings</label></div>\n</header>\n<main>\n<div id=\"canvas\">\n",
    );
    svg(&mut out, map, &layout);
    out.push_str(
        "</div>\n<aside id=\"details\"><h2>Details</h2><p class=\"hint\">Hover a site or data space to follow its connections; click it for its evidence and findings.</p></aside>\n</main>\n",
    );
    if !map.findings.is_empty() {
        out.push_str("<section id=\"elsewhere\"><h2>Findings on no site</h2><ul>");
        for finding in &map.findings {
            let _ = write!(
                out,
                "<li><b class=\"sev-{}\">{}</b> {} <span class=\"at\">{}</span></li>",
                finding.severity,
                finding.code,
                xml(&finding.message),
                xml(&finding.at)
            );
        }
        out.push_str("</ul></section>\n");
    }
    // The model for the details panel; `<` escaped so no text can close the script element.
    let data = serde_json::to_string(map)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"map-data\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

fn legend(out: &mut String) {
    out.push_str(
        "<div class=\"legend\" aria-label=\"Legend\">\
<span><svg width=\"22\" height=\"14\"><rect class=\"swatch production\" x=\"1\" y=\"1\" width=\"20\" height=\"12\" rx=\"3\"/></svg>Production data space</span>\
<span><svg width=\"22\" height=\"14\"><rect class=\"swatch testing\" x=\"1\" y=\"1\" width=\"20\" height=\"12\" rx=\"3\"/></svg>Testing data space</span>\
<span><svg width=\"22\" height=\"14\"><rect class=\"swatch unknown\" x=\"1\" y=\"1\" width=\"20\" height=\"12\" rx=\"3\"/></svg>type or tier unknown (ML003)</span>\
<span><svg width=\"22\" height=\"14\"><rect class=\"swatch error\" x=\"1\" y=\"1\" width=\"20\" height=\"12\" rx=\"3\"/></svg>error finding</span>\
<span><svg width=\"22\" height=\"14\"><rect class=\"swatch warning\" x=\"1\" y=\"1\" width=\"20\" height=\"12\" rx=\"3\"/></svg>warning finding</span>\
<span><svg width=\"34\" height=\"14\"><path class=\"edge environment\" d=\"M1 7 H33\"/></svg>environment_id</span>\
<span><svg width=\"34\" height=\"14\"><path class=\"edge environment flagged\" d=\"M1 7 H33\"/></svg>MS001: non-production → Production</span>\
<span><svg width=\"34\" height=\"14\"><path class=\"edge alternate\" d=\"M1 7 H33\"/></svg>alternate_environment_id</span>\
</div>\n",
    );
}

fn svg(out: &mut String, map: &FleetMap, layout: &Layout) {
    let _ = writeln!(
        out,
        "<svg id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Fleet map\">",
        w = layout.width.ceil(),
        h = layout.height.ceil()
    );
    let space_index: HashMap<&str, usize> = map
        .data_spaces
        .iter()
        .enumerate()
        .map(|(n, d)| (d.id.as_str(), n))
        .collect();
    // Edges first (under the boxes); flagged ones last, so they are on top of the others.
    out.push_str("<g class=\"edges\">\n");
    let mut flagged = String::new();
    for edge in &map.edges {
        let (Some(site), Some(&space)) = (
            layout.sites.get(&edge.site),
            space_index.get(edge.data_space.as_str()),
        ) else {
            continue;
        };
        let target = layout.data_spaces[space];
        let (x1, y1) = (site.x + site.width, site.middle_y());
        let (x2, y2) = (target.x, target.middle_y());
        let bend = (x2 - x1) * 0.5;
        let class = if edge.findings.is_empty() {
            String::new()
        } else {
            " flagged".to_string()
        };
        let codes = edge.findings.join(" ");
        let path = format!(
            "<path class=\"edge {kind}{class}\" data-site=\"{site_id}\" data-space=\"d{space}\" data-findings=\"{codes}\" d=\"M{x1:.1} {y1:.1} C{c1:.1} {y1:.1} {c2:.1} {y2:.1} {x2:.1} {y2:.1}\">{t}</path>\n",
            kind = edge.kind,
            site_id = edge.site,
            c1 = x1 + bend,
            c2 = x2 - bend,
            t = title(&[format!(
                "{} → {} ({}){}",
                edge.site,
                edge.data_space,
                edge.kind,
                if codes.is_empty() { String::new() } else { format!(": {codes}") }
            )]),
        );
        if edge.findings.is_empty() {
            out.push_str(&path);
        } else {
            flagged.push_str(&path);
            // The codes where the edge leaves the site, readable without hovering.
            let _ = writeln!(
                flagged,
                "<text class=\"edge-label\" data-site=\"{}\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                edge.site,
                x1 + 8.0,
                y1 - 3.0,
                xml(&codes)
            );
        }
    }
    out.push_str(&flagged);
    out.push_str("</g>\n");
    for &n in &layout.installation_order {
        let installation = &map.installations[n];
        let Some(rect) = layout.installations.get(n) else {
            continue;
        };
        let name = installation.shown_name();
        let repository = installation
            .repository
            .as_ref()
            .map_or(String::new(), |r| format!(" · repository {r}"));
        let _ = writeln!(
            out,
            "<g class=\"installation{}\" id=\"i{n}\" data-kind=\"installation\" data-index=\"{n}\" data-search=\"{}\">{}",
            finding_class(&installation.findings),
            xml(&name.to_lowercase()),
            title(&[
                format!("installation {name}{repository}"),
                format!(
                    "{}: {}",
                    edition_label(installation.edition),
                    installation.edition_evidence
                ),
            ])
        );
        box_rect(out, rect, "group");
        let _ = writeln!(
            out,
            "<text class=\"group-title\" x=\"{:.1}\" y=\"{:.1}\">{}</text><text class=\"group-sub\" x=\"{:.1}\" y=\"{:.1}\">{}{}</text>",
            rect.x + 10.0,
            rect.y + 15.0,
            xml(&fit(name, 58)),
            rect.x + 10.0,
            rect.y + 28.0,
            edition_label(installation.edition),
            xml(&repository),
        );
        if !installation.findings.is_empty() {
            let _ = writeln!(
                out,
                "<text class=\"codes\" text-anchor=\"end\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                rect.x + rect.width - 8.0,
                rect.y + 15.0,
                xml(&fit(&code_label(&installation.findings, &[]), 30))
            );
        }
        for site in &installation.sites {
            if let Some(rect) = layout.sites.get(&site.id) {
                site_node(out, site, name, rect);
            }
        }
        out.push_str("</g>\n");
    }
    for &(p, rect) in &layout.projects {
        let project = &map.projects[p];
        let name = project
            .id
            .as_ref()
            .map_or("no SaaS project known".to_string(), |id| {
                format!("SaaS project {id}")
            });
        let _ = writeln!(
            out,
            "<g class=\"project{}\" id=\"p{p}\" data-kind=\"project\" data-index=\"{p}\" data-search=\"{}\">{}",
            finding_class(&project.findings),
            xml(&name.to_lowercase()),
            title(std::slice::from_ref(&name))
        );
        box_rect(out, &rect, "group project-box");
        let id = project.id.as_deref().unwrap_or("none named by any site");
        let _ = writeln!(
            out,
            "<text class=\"group-sub\" x=\"{:.1}\" y=\"{:.1}\">SaaS project</text><text class=\"group-title project-id\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            rect.x + 10.0,
            rect.y + 13.0,
            rect.x + 10.0,
            rect.y + 27.0,
            xml(&fit(id, 40))
        );
        if !project.findings.is_empty() {
            let _ = writeln!(
                out,
                "<text class=\"codes\" text-anchor=\"end\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                rect.x + rect.width - 8.0,
                rect.y + 13.0,
                xml(&code_label(&project.findings, &[]))
            );
        }
        for &space in &layout.project_spaces[p] {
            space_node(out, map, space, &layout.data_spaces[space]);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
}

fn box_rect(out: &mut String, rect: &Rect, class: &str) {
    let _ = writeln!(
        out,
        "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/>",
        rect.x, rect.y, rect.width, rect.height
    );
}

fn site_node(out: &mut String, site: &Site, installation: &str, rect: &Rect) {
    let shared = shared_codes(site);
    let mut tooltip = vec![
        format!("site {} of {installation}", site.name),
        format!("tier {}: {}", site.tier, site.tier_evidence),
    ];
    if !site.website_codes.is_empty() {
        tooltip.push(format!("websites: {}", site.website_codes.join(", ")));
    }
    tooltip.extend(
        site.findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.message)),
    );
    let search = format!(
        "{installation}/{} {} {} {}",
        site.name,
        site.data_space.as_deref().unwrap_or(""),
        site.website_codes.join(" "),
        codes(&site.findings).join(" ")
    );
    let _ = writeln!(
        out,
        "<g class=\"site tier-{}{}\" id=\"{}\" data-kind=\"site\" tabindex=\"0\" data-search=\"{}\">{}",
        site.tier,
        finding_class(&site.findings),
        site.id,
        xml(&search.to_lowercase()),
        title(&tooltip)
    );
    let _ = writeln!(
        out,
        "<rect class=\"node\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\"/>",
        rect.x, rect.y, rect.width, rect.height
    );
    // First line: name, tier, websites; second line (sites with findings): the codes.
    let middle = rect.y + 15.0;
    let tier = match site.tier {
        "production" => "prod",
        "non-production" => "non-prod",
        _ => "tier ?",
    };
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{middle:.1}\"><tspan class=\"site-name\">{}</tspan></text>\
         <text class=\"tier-badge\" x=\"{:.1}\" y=\"{middle:.1}\">{tier}</text>\
         <text class=\"websites\" x=\"{:.1}\" y=\"{middle:.1}\">{}</text>",
        rect.x + 6.0,
        xml(&fit(&site.name, 34)),
        rect.x + 236.0,
        rect.x + 292.0,
        xml(&fit(&site.website_codes.join(","), 17)),
    );
    if !site.findings.is_empty() {
        let _ = writeln!(
            out,
            "<text class=\"codes\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            rect.x + 6.0,
            middle + 14.0,
            xml(&fit(&code_label(&site.findings, &shared), 62))
        );
    }
    out.push_str("</g>\n");
}

fn space_node(out: &mut String, map: &FleetMap, index: usize, rect: &Rect) {
    let space = &map.data_spaces[index];
    let mut tooltip = vec![format!("data space {}", space.id)];
    tooltip.extend(space.name.as_ref().map(|n| format!("name {n}")));
    tooltip.push(format!(
        "{}{}",
        kind_label(space.kind),
        space
            .type_evidence
            .as_ref()
            .map_or(String::new(), |e| format!(": {e}"))
    ));
    tooltip.extend(
        space
            .findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.message)),
    );
    let search = format!(
        "{} {} {}",
        space.id,
        space.name.as_deref().unwrap_or(""),
        codes(&space.findings).join(" ")
    );
    let _ = writeln!(
        out,
        "<g class=\"data-space kind-{}{}\" id=\"d{index}\" data-kind=\"data-space\" data-index=\"{index}\" tabindex=\"0\" data-search=\"{}\">{}",
        space.kind,
        finding_class(&space.findings),
        xml(&search.to_lowercase()),
        title(&tooltip)
    );
    // A data store's drum: a box under an elliptic lid.
    let _ = writeln!(
        out,
        "<rect class=\"node\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"6\"/>\
         <ellipse class=\"node lid\" cx=\"{cx:.1}\" cy=\"{y:.1}\" rx=\"{r:.1}\" ry=\"5\"/>",
        x = rect.x,
        y = rect.y + 5.0,
        w = rect.width,
        h = rect.height - 5.0,
        cx = rect.x + rect.width / 2.0,
        r = rect.width / 2.0,
    );
    let second = match super::space_name(space) {
        Some(name) => format!("{} · {}", kind_label(space.kind), name),
        None => kind_label(space.kind).to_string(),
    };
    let _ = writeln!(
        out,
        "<text class=\"space-id\" x=\"{:.1}\" y=\"{:.1}\">{}</text><text class=\"space-kind\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        rect.x + 8.0,
        rect.y + 27.0,
        xml(&fit(&space.id, 44)),
        rect.x + 8.0,
        rect.y + 45.0,
        xml(&fit(&second, 30)),
    );
    if !space.findings.is_empty() {
        let _ = writeln!(
            out,
            "<text class=\"codes\" text-anchor=\"end\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            rect.x + rect.width - 8.0,
            rect.y + 46.0,
            xml(&code_label(&space.findings, &[]))
        );
    }
    out.push_str("</g>\n");
}
