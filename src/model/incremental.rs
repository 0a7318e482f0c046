//! Resolve for the editor, where one file changes at a time: each installation and its sites
//! are kept between runs and rebuilt only when one of its files changed, so a keystroke costs
//! the same in a workspace of one installation and of ten thousand. The data spaces (a fold
//! over every site) and other repositories' sites are rebuilt each time, as `resolve` does.

use super::resolve::{
    build_installation, declarations_of, empty_fleet, finish_fleet, installation_roots, sites_of,
};
use super::spaces::{all_site_facts, site_facts, SiteFact};
use super::{Fleet, Installation, Site};
use crate::config::normalize;
use crate::diagnostic::FileId;
use crate::run::SourceFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The model of the last run, by installation.
#[derive(Debug, Default)]
pub struct ModelCache {
    /// False until the first run, and after `invalidate`: the next run resolves everything.
    valid: bool,
    /// Each installation's root and member files, as last grouped.
    groups: Vec<(PathBuf, Vec<FileId>)>,
    /// The installation each member file belongs to.
    owner: HashMap<FileId, usize>,
    installations: Vec<Installation>,
    /// Every installation's sites, in installation order.
    sites: Vec<Site>,
    /// Where each installation's sites start in `sites` (one more entry: the end).
    starts: Vec<usize>,
    /// What each site says about its data space, beside `sites`.
    site_facts: Vec<Vec<SiteFact>>,
}

impl ModelCache {
    /// The next run resolves everything: files were added or removed, a file started or
    /// stopped parsing (grouping reads only files that do), or declarations changed.
    pub fn invalidate(&mut self) {
        self.valid = false;
    }

    /// The fleet of `files`, where only the installations holding a file of `changed` are
    /// resolved again. Hand it back with `keep` once the rules have run.
    pub fn resolve<'a>(
        &mut self,
        files: &'a [SourceFile],
        base: &Path,
        changed: &[FileId],
    ) -> Fleet<'a> {
        let absolute = |p: &Path| normalize(&base.join(p));
        let normal_base = normalize(base);
        let declarations = declarations_of(files, &absolute);
        let mut fleet = empty_fleet(files);
        // A fleet not handed back (a rule panicked) leaves nothing to reuse.
        let whole = self.installations.len() == self.groups.len()
            && self.starts.last().copied() == Some(self.sites.len())
            && self.site_facts.len() == self.sites.len();
        if !self.valid || !whole {
            self.groups = installation_roots(files, &absolute);
            self.owner = self
                .groups
                .iter()
                .enumerate()
                .flat_map(|(index, (_, members))| members.iter().map(move |&m| (m, index)))
                .collect();
            fleet.installations = self
                .groups
                .par_iter()
                .map(|(root, members)| {
                    build_installation(&fleet, root.clone(), members, &declarations, &normal_base)
                })
                .collect();
            let sites: Vec<Vec<Site>> = (0..fleet.installations.len())
                .into_par_iter()
                .map(|index| sites_of(&fleet, index, &declarations, &absolute))
                .collect();
            self.starts = Vec::with_capacity(sites.len() + 1);
            let mut all = Vec::with_capacity(sites.iter().map(Vec::len).sum());
            for of_one in sites {
                self.starts.push(all.len());
                all.extend(of_one);
            }
            self.starts.push(all.len());
            fleet.sites = all;
            self.site_facts = all_site_facts(&fleet);
            self.valid = true;
        } else {
            fleet.installations = std::mem::take(&mut self.installations);
            fleet.sites = std::mem::take(&mut self.sites);
            let mut dirty: Vec<usize> = changed
                .iter()
                .filter_map(|file| self.owner.get(file).copied())
                .collect();
            dirty.sort_unstable();
            dirty.dedup();
            for index in dirty {
                let (root, members) = &self.groups[index];
                let rebuilt =
                    build_installation(&fleet, root.clone(), members, &declarations, &normal_base);
                fleet.installations[index] = rebuilt;
                let sites = sites_of(&fleet, index, &declarations, &absolute);
                let (start, end) = (self.starts[index], self.starts[index + 1]);
                let grown = sites.len() as isize - (end - start) as isize;
                let facts: Vec<Vec<SiteFact>> =
                    sites.iter().map(|site| site_facts(&fleet, site)).collect();
                fleet.sites.splice(start..end, sites);
                self.site_facts.splice(start..end, facts);
                for later in &mut self.starts[index + 1..] {
                    *later = (*later as isize + grown) as usize;
                }
            }
        }
        finish_fleet(&mut fleet, &declarations, &self.site_facts);
        fleet
    }

    /// Takes back the installations and sites of a fleet `resolve` gave (other repositories'
    /// sites, added at the end, are dropped: they are rebuilt each run).
    pub fn keep(&mut self, fleet: Fleet<'_>) {
        let Fleet {
            mut installations,
            mut sites,
            ..
        } = fleet;
        installations.truncate(self.groups.len());
        sites.truncate(self.starts.last().copied().unwrap_or(0));
        self.installations = installations;
        self.sites = sites;
    }
}
