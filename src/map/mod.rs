//! `magelint map`: the fleet drawn — SaaS projects and their data spaces, installations and
//! their sites, which site talks to which data space — with the findings of `check` on it.
//! One model (`model`), built from the same `Fleet` as `check`; one module per format.

mod dot;
mod html;
mod layout;
mod mermaid;
pub mod model;
mod summary;
mod text;

pub use model::{Builder, FleetMap, VERSION};
pub use summary::step_summary;

/// The formats of `magelint map`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MapFormat {
    /// A tree for the terminal.
    Text,
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz.
    Dot,
    /// One self-contained page: inline SVG, CSS and script, no network.
    Html,
    /// The model itself (`magelint schema magelint-map`).
    Json,
}

/// Renders `map` in `format`; `color` adds ANSI colours to `text`.
pub fn render(map: &FleetMap, format: MapFormat, color: bool) -> String {
    match format {
        MapFormat::Text => text::render(map, color),
        MapFormat::Mermaid => mermaid::render(map),
        MapFormat::Dot => dot::render(map),
        MapFormat::Html => html::render(map),
        MapFormat::Json => {
            let mut text = serde_json::to_string_pretty(map).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// The finding codes of a list, each once, in order: a node's label.
pub(crate) fn codes(findings: &[model::Finding]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The worst severity of a list of findings, if any.
pub(crate) fn worst(findings: &[model::Finding]) -> Option<&'static str> {
    ["error", "warning", "info"]
        .into_iter()
        .find(|s| findings.iter().any(|f| f.severity == *s))
}

/// A data space's type as printed.
pub(crate) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "production" => "Production",
        "testing" => "Testing",
        _ => "type unknown",
    }
}

/// An installation's edition as printed.
/// An installation's heading lines in the graph formats: its name, edition and, for another
/// repository's, where it comes from.
pub(crate) fn installation_heading(installation: &model::Installation) -> Vec<String> {
    let mut title = vec![
        installation.shown_name().to_string(),
        edition_label(installation.edition).to_string(),
    ];
    if let Some(repository) = &installation.repository {
        title.push(format!("repository {repository}"));
    }
    title
}

pub(crate) fn edition_label(edition: &str) -> &'static str {
    match edition {
        "commerce" => "Adobe Commerce",
        "open-source" => "Magento Open Source",
        _ => "edition unknown",
    }
}

/// Website codes of a site with the MS002-shared ones first-class: "base, eu (MS002: base)".
pub(crate) fn shared_codes(site: &model::Site) -> Vec<&str> {
    let mut shared: Vec<&str> = site
        .findings
        .iter()
        .filter_map(|f| f.website_code.as_deref())
        .collect();
    shared.sort_unstable();
    shared.dedup();
    shared
}

/// A data space's name when it says more than its type (Magento often names the Production
/// data space `Production`).
pub(crate) fn space_name(space: &model::DataSpace) -> Option<&str> {
    space
        .name
        .as_deref()
        .filter(|name| !name.eq_ignore_ascii_case(kind_label(space.kind)))
}

/// A site's tier as printed.
pub(crate) fn tier_label(tier: &str) -> &'static str {
    match tier {
        "production" => "production",
        "non-production" => "non-production",
        _ => "tier unknown",
    }
}
