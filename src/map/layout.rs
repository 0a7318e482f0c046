//! Where the HTML map draws each box: a layered layout of the fleet's two-sided graph.
//!
//! Every edge goes from a site to a data space, and both ends are grouped (sites in their
//! installation, data spaces in their SaaS project), so this is a two-layer graph with
//! clusters: installations stacked on the left, grouped by the SaaS project their sites use most
//! (path order within a group), each project on the right level with the top of its group, and
//! inside a project its data spaces ordered by the barycentre of the sites that use them (the
//! classic crossing-reduction heuristic for two layers). Edges then mostly stay inside their
//! band; the ones that leave it (a site on another project's data space) stand out. Deterministic and
//! O(n log n): 1,000 installations are laid out in milliseconds.

use super::model::FleetMap;
use std::collections::HashMap;

pub const MARGIN: f64 = 16.0;
pub const SITE_HEIGHT: f64 = 24.0;
/// A site with findings gets a second line for their codes.
pub const SITE_WITH_FINDINGS_HEIGHT: f64 = 38.0;
pub const HEADER: f64 = 34.0;
pub const GROUP_GAP: f64 = 12.0;
pub const LEFT_WIDTH: f64 = 440.0;
pub const GUTTER: f64 = 200.0;
pub const RIGHT_WIDTH: f64 = 320.0;
pub const SPACE_HEIGHT: f64 = 58.0;
pub const SPACE_GAP: f64 = 10.0;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn middle_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Per installation, in the map's order.
    pub installations: Vec<Rect>,
    /// The installations top to bottom: grouped by the SaaS project their sites use most, in
    /// path order within a group.
    pub installation_order: Vec<usize>,
    /// Per site id.
    pub sites: HashMap<String, Rect>,
    /// (project index, its box), top to bottom.
    pub projects: Vec<(usize, Rect)>,
    /// Per data space index, in the map's `data_spaces` order.
    pub data_spaces: Vec<Rect>,
    /// Per project index: its data space indexes, top to bottom.
    pub project_spaces: Vec<Vec<usize>>,
}

pub fn lay_out(map: &FleetMap) -> Layout {
    let mut layout = Layout {
        width: MARGIN * 2.0 + LEFT_WIDTH + GUTTER + RIGHT_WIDTH,
        height: 0.0,
        installations: vec![Rect::default(); map.installations.len()],
        installation_order: Vec::new(),
        sites: HashMap::new(),
        projects: Vec::new(),
        data_spaces: vec![Rect::default(); map.data_spaces.len()],
        project_spaces: vec![Vec::new(); map.projects.len()],
    };
    let index_of: HashMap<&str, usize> = map
        .data_spaces
        .iter()
        .enumerate()
        .map(|(n, d)| (d.id.as_str(), n))
        .collect();
    let project_of: HashMap<&str, usize> = map
        .projects
        .iter()
        .enumerate()
        .flat_map(|(p, project)| project.data_spaces.iter().map(move |d| (d.as_str(), p)))
        .collect();
    let site_spaces: HashMap<&str, Vec<&str>> =
        map.edges.iter().fold(HashMap::new(), |mut all, edge| {
            all.entry(edge.site.as_str())
                .or_default()
                .push(edge.data_space.as_str());
            all
        });
    // The project most of an installation's connections go to (the lowest index among equals).
    let main_project = |installation: &super::model::Installation| {
        let mut votes: Vec<(usize, usize)> = Vec::new();
        for site in &installation.sites {
            for space in site_spaces.get(site.id.as_str()).into_iter().flatten() {
                if let Some(&p) = project_of.get(space) {
                    match votes.iter_mut().find(|(q, _)| *q == p) {
                        Some(vote) => vote.1 += 1,
                        None => votes.push((p, 1)),
                    }
                }
            }
        }
        votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(usize::MAX, |(p, _)| p)
    };
    let mut keyed: Vec<(usize, usize)> = map
        .installations
        .iter()
        .enumerate()
        .map(|(n, installation)| (main_project(installation), n))
        .collect();
    keyed.sort_unstable();
    layout.installation_order = keyed.iter().map(|&(_, n)| n).collect();
    // Where each project's block of installations starts.
    let mut block_top: HashMap<usize, f64> = HashMap::new();
    let mut y = MARGIN;
    for &(project, index) in &keyed {
        let installation = &map.installations[index];
        block_top.entry(project).or_insert(y);
        let row = |site: &super::model::Site| {
            if site.findings.is_empty() {
                SITE_HEIGHT
            } else {
                SITE_WITH_FINDINGS_HEIGHT
            }
        };
        let height = HEADER + installation.sites.iter().map(row).sum::<f64>() + 6.0;
        layout.installations[index] = Rect {
            x: MARGIN,
            y,
            width: LEFT_WIDTH,
            height,
        };
        let mut top = y + HEADER;
        for site in &installation.sites {
            layout.sites.insert(
                site.id.clone(),
                Rect {
                    x: MARGIN + 8.0,
                    y: top,
                    width: LEFT_WIDTH - 16.0,
                    height: row(site) - 3.0,
                },
            );
            top += row(site);
        }
        y += height + GROUP_GAP;
    }
    let left_bottom = y;
    // Barycentre of each data space: the mean height of the sites connected to it.
    let mut sums = vec![(0.0_f64, 0_usize); map.data_spaces.len()];
    for edge in &map.edges {
        if let (Some(&space), Some(site)) = (
            index_of.get(edge.data_space.as_str()),
            layout.sites.get(&edge.site),
        ) {
            sums[space].0 += site.middle_y();
            sums[space].1 += 1;
        }
    }
    // A data space no site uses sorts last in its project.
    let centre = |space: usize| match sums[space] {
        (_, 0) => f64::MAX,
        (sum, count) => sum / count as f64,
    };
    let mut order: Vec<(f64, usize)> = Vec::with_capacity(map.projects.len());
    for (p, project) in map.projects.iter().enumerate() {
        let mut spaces: Vec<usize> = project
            .data_spaces
            .iter()
            .filter_map(|id| index_of.get(id.as_str()).copied())
            .collect();
        spaces.sort_by(|a, b| centre(*a).total_cmp(&centre(*b)).then(a.cmp(b)));
        order.push((block_top.get(&p).copied().unwrap_or(f64::MAX), p));
        layout.project_spaces[p] = spaces;
    }
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let x = MARGIN + LEFT_WIDTH + GUTTER;
    let mut next = MARGIN;
    for (block_y, p) in order {
        let spaces = &layout.project_spaces[p];
        let height =
            HEADER + (SPACE_HEIGHT + SPACE_GAP) * spaces.len() as f64 + 4.0 - SPACE_GAP.min(4.0);
        // Level with the first installation of its block, never above the previous project.
        let wanted = if block_y == f64::MAX { next } else { block_y };
        let top = wanted.max(next);
        layout.projects.push((
            p,
            Rect {
                x,
                y: top,
                width: RIGHT_WIDTH,
                height,
            },
        ));
        for (n, &space) in spaces.iter().enumerate() {
            layout.data_spaces[space] = Rect {
                x: x + 10.0,
                y: top + HEADER + (SPACE_HEIGHT + SPACE_GAP) * n as f64,
                width: RIGHT_WIDTH - 20.0,
                height: SPACE_HEIGHT,
            };
        }
        next = top + height + GROUP_GAP;
    }
    layout.height = left_bottom.max(next) + MARGIN;
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_map_has_a_size() {
        let map = FleetMap {
            version: 1,
            tool: String::new(),
            projects: Vec::new(),
            data_spaces: Vec::new(),
            installations: Vec::new(),
            edges: Vec::new(),
            findings: Vec::new(),
            counts: Default::default(),
        };
        let layout = lay_out(&map);
        assert!(layout.height > 0.0 && layout.width > 0.0);
    }
}
