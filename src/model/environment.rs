//! The process environment of a deployment: the files that set `CONFIG__…` variables (and
//! `MAGE_MODE`) for the PHP processes of one site — Docker Compose files, the env files
//! Docker Compose reads, nginx `fastcgi_param` — which site each belongs to, and which wins.
//!
//! Unlike `.magento.app.yaml` (read by every Cloud environment of an installation), these
//! files configure one deployment:
//! - files without a deployment name (`docker-compose.yml`, its `.override`, `.env`,
//!   `.env.local`, `env/phpfpm.env`, `nginx/default.conf`) set the environment of the
//!   installation's own checkout: the site of `app/etc/env.php` (which the containers and the
//!   web server of that checkout read), or, when the repository holds no such file, a site of
//!   their own (config.php and the variables);
//! - files named for a deployment (`docker-compose.staging.yml`, `.env.production`,
//!   `nginx/uat.conf`) join the site of the env file with that name (`env.staging.php`), or
//!   make a site of their own named for it (its tier read from the name) when the name is one of
//!   a deployment elsewhere (production, staging, UAT…); a compose overlay runs on top of the
//!   unnamed compose files, so that site sees theirs too;
//! - other names are the checkout's own (`compose.dev.yaml`, markshust/docker-magento's local
//!   overlay; `docker-compose.docker.yml`; a service's `env/phpfpm.env`), and a development name
//!   (`dev`, `docker`, not `local`) is evidence that the checkout's site is non-production;
//! - a file a compose file names (an env file in `env_file:`, an nginx configuration it mounts)
//!   belongs with that compose file;
//! - templates (`.env.dist`, `docker-compose.yml.sample`) are no deployment's;
//! - nginx server blocks of several deployments (`www.example.com`, `staging.example.com`: see
//!   `vhost`) are each their own deployment: a site of its own, or the env file's site its file
//!   is named for; the host a site's server block serves is evidence of its tier.
//!
//! Being written in a compose file says nothing about the tier by itself: Magento shops run
//! production on Docker Compose too. Only a deployment name, `MAGE_MODE` or a base URL does.
//!
//! Precedence (last wins): nginx `fastcgi_param`, then env files, then compose files (a
//! service's `environment` wins over its `env_file`), unnamed before named.

use super::tier;
use super::vhost::{self, Block};
use super::{ConfigVariable, Fleet, Installation};
use crate::config::{Declared, TierKind};
use crate::diagnostic::{FileId, Location};
use crate::discover::{FileKind, TEMPLATE_SUFFIXES};
use crate::run::SourceFile;
use crate::syntax::{Node, Span, Value};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Which deployment a file is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Deployment {
    /// The installation's own checkout.
    Base,
    /// A deployment named by the file (`staging`, canonical: `stage` and `stg` are `staging`).
    Named(String),
    /// An env file outside app/etc with no name of its own (`docker/env.php`): its own.
    Own,
    /// A template: no deployment reads it.
    Template,
}

/// The canonical name of a deployment word: the synonyms tier inference knows are one name.
fn canonical(variant: &str) -> String {
    let lower = variant.to_ascii_lowercase();
    match lower.as_str() {
        "production" | "prod" | "live" | "master" => "production".into(),
        "staging" | "stage" | "stg" => "staging".into(),
        "dev" | "develop" | "development" => "development".into(),
        "test" | "testing" => "testing".into(),
        _ => lower,
    }
}

/// Whether a deployment name is a deployment elsewhere (on a server), which gets a site of its
/// own when no env file has its name: production, staging and the other remote tiers. The other
/// names (`dev`, `docker`, `local`, a service's: `phpfpm`) are the checkout's own.
fn is_elsewhere(name: &str) -> bool {
    tier::from_variant(name) == Some(TierKind::Production)
        || matches!(
            canonical(name).as_str(),
            "staging" | "testing" | "uat" | "qa" | "integration" | "preprod"
        )
}

/// The deployment an environment file's own name gives it.
fn named(variant: Option<&str>) -> Deployment {
    let Some(variant) = variant else {
        return Deployment::Base;
    };
    let lower = variant.to_ascii_lowercase();
    if TEMPLATE_SUFFIXES.contains(&lower.as_str()) {
        Deployment::Template
    } else if lower == "override" || lower == "local" {
        // Compose's override file and the `.env.local` convention: the checkout's own.
        Deployment::Base
    } else {
        Deployment::Named(canonical(&lower))
    }
}

fn variant_of(kind: &FileKind) -> Option<&str> {
    match kind {
        FileKind::DockerCompose { variant }
        | FileKind::DotEnv { variant }
        | FileKind::Nginx { variant }
        | FileKind::EnvPhp { variant } => variant.as_deref(),
        _ => None,
    }
}

/// Precedence among a site's environment files, higher winning: by kind (nginx, env files,
/// compose files), then the plain name before `override`/`local` before a named one
/// (`docker-compose.yml` < `docker-compose.override.yml` < `docker-compose.prod.yml`).
fn rank(kind: &FileKind) -> (u8, u8) {
    let by_kind = match kind {
        FileKind::Nginx { .. } => 0,
        FileKind::DotEnv { .. } => 1,
        _ => 2,
    };
    let by_name = match variant_of(kind).map(str::to_ascii_lowercase).as_deref() {
        None => 0,
        Some("override" | "local") => 1,
        Some(_) => 2,
    };
    (by_kind, by_name)
}

/// The files a compose file names for its services, as absolute paths (relative ones read from
/// `dir`): in `env_file:` (a path, a list of paths, or a list of `{path: …}`), and the sources of
/// bind mounts in `volumes:` (`./nginx/default.conf:/etc/nginx/conf.d/default.conf`, or
/// `{type: bind, source: …}`), which is how an nginx container gets its configuration.
pub(super) fn references(
    root: &Node,
    dir: &Path,
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let services = root.get("services").map_or(&[][..], |s| s.value.entries());
    fn items(node: Option<&Node>) -> Vec<&Node> {
        match node {
            Some(node) => match &node.value {
                Value::Array {
                    list: true,
                    entries,
                } => entries.iter().map(|e| &e.value).collect(),
                _ => vec![node],
            },
            None => Vec::new(),
        }
    }
    for service in services {
        for item in items(service.value.get("env_file")) {
            let path = match &item.value {
                Value::String(path) => Some(path.as_str()),
                Value::Array { .. } => item.get("path").and_then(|p| p.value.as_str()),
                _ => None,
            };
            if let Some(path) = path.filter(|p| !p.is_empty()) {
                found.push(absolute(&dir.join(path)));
            }
        }
        for item in items(service.value.get("volumes")) {
            let source = match &item.value {
                // `SOURCE:TARGET[:MODE]`; a named volume's source has no `/` and no `.`.
                Value::String(short) => short
                    .split_once(':')
                    .map(|(source, _)| source)
                    .filter(|s| s.starts_with('.') || s.starts_with('/')),
                Value::Array { .. } => item
                    .get("type")
                    .filter(|t| t.value.as_str() == Some("bind"))
                    .and_then(|_| item.get("source")?.value.as_str()),
                _ => None,
            };
            if let Some(source) = source.filter(|s| !s.is_empty()) {
                found.push(absolute(&dir.join(source)));
            }
        }
    }
    found
}

/// Environment files join the installation at or above their directory, else the only one
/// below it (`compose.yaml` beside the `src/` that holds Magento); a file a compose file names
/// (in `env_file:`, or mounts: an nginx configuration) joins that compose file's. A file with
/// no such installation is no installation's: a directory beside an installation
/// (`docker/nginx/`) says nothing about which one it serves.
pub(super) fn attach(
    roots: &mut HashMap<OsString, Vec<FileId>>,
    environment: Vec<(FileId, PathBuf, Vec<PathBuf>)>,
    files: &[SourceFile],
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
) {
    let owner_of = |dir: &Path| -> Option<OsString> {
        if let Some(at) = dir.ancestors().find(|a| roots.contains_key(a.as_os_str())) {
            return Some(at.as_os_str().to_owned());
        }
        let mut below = roots.keys().filter(|root| Path::new(root).starts_with(dir));
        match (below.next(), below.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    };
    let mut owners: Vec<(FileId, Option<OsString>)> = environment
        .iter()
        .map(|(id, dir, _)| (*id, owner_of(dir)))
        .collect();
    // A compose file's names win over the directory (in file order: the first compose file wins).
    let path_of: HashMap<PathBuf, usize> = environment
        .iter()
        .enumerate()
        .map(|(index, (id, _, _))| (absolute(&files[*id].source.path), index))
        .collect();
    let mut named_by_compose = vec![false; owners.len()];
    for (index, (_, _, named)) in environment.iter().enumerate() {
        let Some(owner) = owners[index].1.clone() else {
            continue;
        };
        for path in named {
            if let Some(&env) = path_of.get(path) {
                if !named_by_compose[env] {
                    named_by_compose[env] = true;
                    owners[env].1 = Some(owner.clone());
                }
            }
        }
    }
    for (id, owner) in owners {
        if let Some(members) = owner.and_then(|o| roots.get_mut(&o)) {
            members.push(id);
        }
    }
}

/// A site to build: from an env file, a declaration, or environment files alone.
#[derive(Clone, Debug)]
pub(super) struct PlannedSite {
    pub name: String,
    pub env_file: Option<FileId>,
    pub declared: Option<Declared<TierKind>>,
    /// Its environment files, lowest precedence first.
    pub environment: Vec<FileId>,
    /// A site of environment files alone named for a deployment: its name and the file.
    pub named_for: Option<(String, FileId)>,
    /// Server blocks of its nginx files that are other deployments' (file, block).
    pub excluded: Vec<(FileId, Span)>,
    /// Why the host its nginx server block serves says non-production, and where.
    pub host: Option<(String, Location)>,
    /// Where a site of nginx server blocks is written (its first server name), to point at
    /// when nothing says its tier.
    pub anchor: Option<Location>,
}

/// The tier a deployment name of an environment file says. An nginx file named for its host
/// (`staging.example.com.conf`) is judged by its server name instead (whole labels: never
/// `shop.acme.dev`'s top-level domain).
fn variant_tier(kind: &FileKind, variant: &str) -> Option<TierKind> {
    match kind {
        FileKind::Nginx { .. } if variant.contains('.') => None,
        _ => tier::from_variant(variant),
    }
}

/// Gives each environment file of `installation` to its sites among `planned` (the env files'
/// sites), adding the sites made of environment files alone. `claim` finds an unused
/// declaration naming one of a new site's files (by path relative to the installation, or by
/// name), so `.magelint.yaml` can declare its tier.
pub(super) fn plan(
    fleet: &Fleet<'_>,
    installation: &Installation,
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
    planned: &mut Vec<PlannedSite>,
    claim: &mut dyn FnMut(&Path) -> Option<Declared<TierKind>>,
) {
    if installation.environment_files.is_empty() {
        return;
    }
    let files = fleet.files;
    let kind = |id: FileId| &files[id].source.kind;
    // Ties are broken by path order (the files' order here), never by id.
    let order: HashMap<FileId, usize> = installation
        .environment_files
        .iter()
        .enumerate()
        .map(|(index, &id)| (id, index))
        .collect();
    let path = |id: FileId| absolute(&files[id].source.path);
    // A file a compose file names (an env file, a mounted nginx configuration) belongs with it.
    let by_path: HashMap<PathBuf, FileId> = installation
        .environment_files
        .iter()
        .filter(|&&id| !matches!(kind(id), FileKind::DockerCompose { .. }))
        .map(|&id| (path(id), id))
        .collect();
    // The first compose file (in path order) naming a file decides its deployment.
    let mut deployment: HashMap<FileId, Deployment> = HashMap::new();
    let mut by_compose: HashSet<FileId> = HashSet::new();
    for &id in &installation.environment_files {
        if !matches!(kind(id), FileKind::DockerCompose { .. }) {
            continue;
        }
        let Some(root) = files[id].facts.as_ref().map(|f| &f.root) else {
            continue;
        };
        let dir = path(id).parent().map(Path::to_path_buf).unwrap_or_default();
        for referenced in references(root, &dir, absolute) {
            if let Some(&env) = by_path.get(&referenced) {
                by_compose.insert(env);
                deployment
                    .entry(env)
                    .or_insert_with(|| named(variant_of(kind(id))));
            }
        }
    }
    for &id in &installation.environment_files {
        deployment
            .entry(id)
            .or_insert_with(|| named(variant_of(kind(id))));
    }
    // The server blocks of each nginx file; those of files no compose file mounts (a local
    // stack's) may be several deployments, each then planned on its own below.
    let blocks: HashMap<FileId, Vec<Block>> = installation
        .environment_files
        .iter()
        .filter(|&&id| matches!(kind(id), FileKind::Nginx { .. }))
        .filter(|&id| deployment[id] != Deployment::Template)
        .map(|&id| (id, vhost::blocks_of(files, id)))
        .collect();
    let vhosts = vhost::deployments(
        installation
            .environment_files
            .iter()
            .filter(|id| !by_compose.contains(id))
            .filter_map(|id| blocks.get(id))
            .flatten()
            .cloned()
            .collect(),
    );
    // One group of vhosts is the checkout's own web server, unless a compose stack runs the
    // checkout and does not mount it: then it configures another machine's deployment.
    let compose_stack = installation
        .environment_files
        .iter()
        .any(|&id| matches!(kind(id), FileKind::DockerCompose { .. }));
    let split: HashSet<FileId> = match vhosts.len() {
        1 if !compose_stack => HashSet::new(),
        _ => vhosts.iter().flatten().map(|b| b.file).collect(),
    };
    let site_deployment = |site: &PlannedSite| match site.env_file {
        Some(env) => {
            let in_app_etc = files[env]
                .source
                .path
                .parent()
                .is_some_and(|etc| etc.ends_with("app/etc"));
            match (variant_of(kind(env)), in_app_etc) {
                (None, true) => Deployment::Base,
                (None, false) => Deployment::Own,
                (Some(variant), _) => Deployment::Named(canonical(variant)),
            }
        }
        None => Deployment::Own,
    };
    // The files of each deployment, in path order; a name no site and no tier word knows
    // (`docker-compose.eu.yml` without `env.eu.php`) is the checkout's own.
    let mut groups: Vec<(Deployment, Vec<FileId>)> = Vec::new();
    for &id in &installation.environment_files {
        let mut of = deployment[&id].clone();
        if of == Deployment::Template || split.contains(&id) {
            continue;
        }
        if let Deployment::Named(name) = &of {
            let has_site = planned.iter().any(|s| site_deployment(s) == of);
            if !has_site && !is_elsewhere(name) {
                of = Deployment::Base;
            }
        }
        match groups.iter_mut().find(|(d, _)| *d == of) {
            Some((_, members)) => members.push(id),
            None => groups.push((of, vec![id])),
        }
    }
    // What a compose overlay runs on: the unnamed files (not those only grouped with them).
    let base: Vec<FileId> =
        groups
            .iter()
            .find(|(d, _)| *d == Deployment::Base)
            .map_or(Vec::new(), |(_, m)| {
                m.iter()
                    .copied()
                    .filter(|id| deployment[id] == Deployment::Base)
                    .collect()
            });
    // The checkout's own files may name it for development (`compose.dev.yaml`, `.env.docker`):
    // evidence of its tier. `local` is not (`.env.local` is every machine's own, production's
    // too).
    let development = groups
        .iter()
        .find(|(d, _)| *d == Deployment::Base)
        .and_then(|(_, members)| {
            members.iter().copied().find_map(|id| {
                let variant = variant_of(kind(id))?;
                let non_production =
                    variant_tier(kind(id), variant) == Some(TierKind::NonProduction);
                (non_production && canonical(variant) != "local").then(|| (variant.to_string(), id))
            })
        });
    for (of, members) in groups {
        let mut environment = members.clone();
        // A compose overlay runs on top of the unnamed compose files (and what they read).
        let overlay = of != Deployment::Base
            && members
                .iter()
                .any(|&id| matches!(kind(id), FileKind::DockerCompose { .. }));
        if overlay {
            environment.extend(base.iter().copied());
        }
        // The deployment's own files win over the unnamed ones of the same kind.
        environment.sort_by_key(|&id| {
            let (by_kind, by_name) = rank(kind(id));
            (by_kind, members.contains(&id), by_name, order[&id])
        });
        let named_for = match &of {
            Deployment::Base => development.clone(),
            _ => None,
        };
        let mut found = false;
        for site in planned.iter_mut() {
            if site_deployment(site) == of {
                site.environment = environment.clone();
                site.named_for = named_for.clone();
                found = true;
            }
        }
        if found {
            continue;
        }
        // A site of its own, named after its compose file (the plain one first), else its first
        // file.
        let principal = members
            .iter()
            .copied()
            .filter(|&id| matches!(kind(id), FileKind::DockerCompose { .. }))
            .min_by_key(|&id| (rank(kind(id)), order[&id]))
            .unwrap_or(members[0]);
        let declared = members.iter().find_map(|&id| claim(&path(id)));
        let named_for = match &of {
            Deployment::Named(name) => members
                .iter()
                .copied()
                .find(|&id| variant_of(kind(id)).is_some_and(|v| canonical(v) == *name))
                .and_then(|id| Some((variant_of(kind(id))?.to_string(), id))),
            _ => named_for,
        };
        planned.push(PlannedSite {
            name: files[principal].display_path.clone(),
            env_file: None,
            declared,
            environment,
            named_for,
            excluded: Vec::new(),
            host: None,
            anchor: None,
        });
    }
    if !split.is_empty() {
        for group in &vhosts {
            let mut members: Vec<FileId> = group.iter().map(|b| b.file).collect();
            members.dedup();
            let in_group = |b: &Block| group.iter().any(|g| g.file == b.file && g.span == b.span);
            let excluded: Vec<(FileId, Span)> = members
                .iter()
                .flat_map(|id| &blocks[id])
                .filter(|b| !in_group(b))
                .map(|b| (b.file, b.span))
                .collect();
            let host = group.iter().find_map(Block::host_evidence);
            // Files named for one deployment that has an env file (`nginx/staging.conf` beside
            // `env.staging.php`; `nginx/wholesale.conf` beside them names no deployment): that
            // site's. Files named for two such deployments are no one's.
            let mut deployments = members
                .iter()
                .map(|id| &deployment[id])
                .filter(|of| matches!(of, Deployment::Named(_)))
                .filter(|of| planned.iter().any(|site| site_deployment(site) == **of));
            let named = deployments
                .next()
                .filter(|first| deployments.all(|of| of == *first))
                .cloned();
            let mut joined = false;
            for site in planned.iter_mut() {
                if named
                    .as_ref()
                    .is_some_and(|of| site_deployment(site) == *of)
                {
                    // nginx parameters are the lowest of a site's environment files.
                    site.environment.splice(0..0, members.iter().copied());
                    site.excluded.extend(excluded.iter().copied());
                    site.host = site.host.take().or_else(|| host.clone());
                    joined = true;
                }
            }
            if joined {
                continue;
            }
            let first = members[0];
            let shared = !excluded.is_empty();
            let name = match (shared, &group[0].name) {
                (true, Some(server)) => {
                    format!("{} (server {server})", files[first].display_path)
                }
                _ => files[first].display_path.clone(),
            };
            let named_for = members.iter().copied().find_map(|id| {
                let variant = variant_of(kind(id))?;
                variant_tier(kind(id), variant).map(|_| (variant.to_string(), id))
            });
            planned.push(PlannedSite {
                name,
                env_file: None,
                declared: claim(&path(first)),
                environment: members,
                named_for,
                excluded,
                host,
                anchor: Some(group[0].anchor.clone()),
            });
        }
    }
    // The host a site's nginx serves, where no deployment split said it.
    for site in planned.iter_mut().filter(|site| site.host.is_none()) {
        site.host = site
            .environment
            .iter()
            .filter_map(|id| blocks.get(id))
            .flatten()
            .filter(|b| !site.excluded.contains(&(b.file, b.span)))
            .find_map(Block::host_evidence);
    }
}

/// The CONFIG__ variables of `installation` a site with these environment files reads, lowest
/// precedence first: `.magento.app.yaml` (every site's), then its environment files'.
pub(super) fn site_variables(
    installation: &Installation,
    environment: &[FileId],
    excluded: &[(FileId, Span)],
) -> std::sync::Arc<[ConfigVariable]> {
    let mut variables: Vec<ConfigVariable> = installation
        .config_variables
        .iter()
        .filter(|v| Some(v.location.file) == installation.app_yaml)
        .cloned()
        .collect();
    for &file in environment {
        variables.extend(
            installation
                .config_variables
                .iter()
                .filter(|v| v.location.file == file && !is_excluded(excluded, &v.location))
                .cloned(),
        );
    }
    variables.into()
}

/// Whether `location` is in one of the `excluded` server blocks (another deployment's).
pub(super) fn is_excluded(excluded: &[(FileId, Span)], location: &Location) -> bool {
    excluded.iter().any(|(file, block)| {
        *file == location.file
            && block.start <= location.span.start
            && location.span.end <= block.end
    })
}

/// Why a site of environment files alone has the tier its name gives, if it does.
pub(super) fn tier_from_name(
    fleet: &Fleet<'_>,
    named_for: &(String, FileId),
) -> Option<(TierKind, String)> {
    let (variant, file) = named_for;
    let kind = variant_tier(&fleet.files[*file].source.kind, variant)?;
    let what = fleet.files[*file].source.kind.describe();
    Some((kind, format!("its {what} is named for `{variant}`")))
}
