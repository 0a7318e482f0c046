//! Tier inference: is a site production? First match wins: `.magelint.yaml` (resolve), the env
//! file's variant name, the directories the site lives in, `MAGE_MODE`, then the base URL hosts
//! (default scope, then website and store view scopes). Names and hosts say non-production
//! only when they say it plainly: a whole word, never a word inside a name (`stage-lighting`),
//! never the registrable domain or the public top-level domain (`shop.acme.dev`). When nothing
//! says, the tier is unknown (ML003), never guessed.

use super::{Evidence, Fleet, Site, TierKind};
use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::syntax::Span;

/// Names of production environments (`env.production.php`, `deploy/prod/`). `master` is the
/// production branch of Adobe Commerce on Cloud Starter: an env file variant only.
const PRODUCTION_NAMES: &[&str] = &["production", "prod", "live"];
/// Names of non-production environments, in env file variants, directories and host labels.
const NON_PRODUCTION_NAMES: &[&str] = &[
    "staging",
    "stage",
    "stg",
    "uat",
    "qa",
    "test",
    "testing",
    "dev",
    "develop",
    "development",
    "local",
    "integration",
    "preprod",
    "preproduction",
    "sandbox",
];
/// Host labels besides those names: `mcstaging.` is the staging host prefix of Adobe Commerce on
/// Cloud's Fastly setup.
const NON_PRODUCTION_LABELS: &[&str] = &["mcstaging"];
/// Top-level names that never resolve on the public internet: reserved (`test`, `example`,
/// `invalid`, `localhost`: RFC 2606 and 6761; `local`: RFC 6762; `internal`: ICANN, 2024) or
/// not delegated and used only on local networks and in containers (`lan`, `docker`, `lo`,
/// `loc`, `localdomain`). A store on them cannot be a public storefront.
const LOCAL_TOP_LEVEL: &[&str] = &[
    "test",
    "example",
    "invalid",
    "localhost",
    "local",
    "internal",
    "lan",
    "docker",
    "lo",
    "loc",
    "localdomain",
];
/// Public domains whose every host points at the developer's own machine: DDEV's and Lando's
/// default project domains, and `home.arpa` (RFC 8375, home networks).
const LOCAL_DOMAINS: &[&str] = &["ddev.site", "lndo.site", "home.arpa"];
/// Second-level labels under a two-letter country code that form a public suffix (`co.uk`,
/// `com.au`, `ac.jp`, `gob.mx`), so the registrable domain is one label longer there. The
/// commonest words of the Public Suffix List's country-code section; a word missing here
/// can only make magelint read a registrable domain as a subdomain when it is one of the
/// environment names, and a word here that is no suffix under some country only makes a
/// subdomain count as registrable (no finding).
const COUNTRY_SECOND_LEVELS: &[&str] = &[
    "ac", "asso", "biz", "co", "com", "coop", "edu", "firm", "gen", "go", "gob", "gouv", "gov",
    "gv", "ind", "info", "int", "ltd", "me", "med", "mil", "name", "ne", "net", "nic", "nom", "or",
    "org", "plc", "pro", "sch", "tm", "web",
];
/// Ports that local and preview environments use, never a public storefront.
const NON_PRODUCTION_PORTS: &[&str] = &["8080", "8443", "8888"];

/// The tier one word names: a whole name, optionally numbered (`staging2`, `uat1`).
fn word_tier(word: &str) -> Option<TierKind> {
    let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if PRODUCTION_NAMES.contains(&word) {
        Some(TierKind::Production)
    } else if NON_PRODUCTION_NAMES.contains(&word) {
        Some(TierKind::NonProduction)
    } else {
        None
    }
}

/// The tier an env file's variant name says (`env.staging.php`, `env.staging-eu.php`,
/// `env.uat1.php`, `env.php.stage`). A variant is named for its environment, so a name among
/// its `-`/`_`/`.` parts counts (`staging-eu`); parts naming both tiers say nothing.
pub fn from_variant(variant: &str) -> Option<TierKind> {
    let variant = variant
        .to_ascii_lowercase()
        .replace("pre-prod", "preprod")
        .replace("pre_prod", "preprod");
    if variant == "master" {
        return Some(TierKind::Production);
    }
    if let Some(kind) = word_tier(&variant) {
        return Some(kind);
    }
    let mut found = None;
    for part in variant.split(['-', '_', '.']) {
        if let Some(kind) = word_tier(part) {
            if found.is_some_and(|f| f != kind) {
                return None;
            }
            found = Some(kind);
        }
    }
    found
}

/// The tier a directory's name says: the whole name only (`environments/staging`, `deploy/uat`;
/// never `stage-lighting` or `dev-tools`).
pub fn from_directory(name: &str) -> Option<TierKind> {
    word_tier(&name.to_ascii_lowercase())
}

/// MAGE_MODE developer/default marks a non-production site; production says nothing (staging
/// runs production mode too).
pub fn from_mage_mode(mode: &str) -> Option<&'static str> {
    match mode {
        "developer" => Some("MAGE_MODE is `developer`"),
        "default" => Some("MAGE_MODE is `default`"),
        _ => None,
    }
}

/// Why a base URL marks a non-production site, if it does.
pub fn from_base_url(url: &str) -> Option<String> {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = without_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => (host, Some(port)),
        _ => (authority, None),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if is_placeholder(&host) {
        return None;
    }
    match from_host(&host) {
        Some(host_says) => Some(format!("base URL host `{host}` {}", host_says.why)),
        None => port_reason(port),
    }
}

/// What a host name says of the deployment serving it, when it says non-production.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSays {
    /// Which kind of non-production deployment: `local` (this machine, a local-only domain),
    /// the subdomain label (`staging`, `uat2`), or the Cloud branch (`cloud:staging`).
    pub deployment: String,
    /// Why, after the host name (`has the subdomain `staging``).
    pub why: String,
}

/// What a (lower-case) host name says, by the whole-label rules of this module.
pub fn from_host(host: &str) -> Option<HostSays> {
    let says = |deployment: &str, why: String| {
        Some(HostSays {
            deployment: deployment.to_string(),
            why,
        })
    };
    if is_placeholder(host) {
        return None;
    }
    // Another address says nothing (a private address may sit behind a public proxy): its
    // labels are numbers, which name no tier.
    if host == "localhost" || host == "[::1]" || host == "0.0.0.0" || is_loopback_v4(host) {
        return says("local", "is this machine".into());
    }
    let labels: Vec<&str> = host.split('.').collect();
    // A name without a dot (`http://magento/`, a container's service name) is no public host;
    // an IPv6 address (`[2001:db8::1]`) says nothing.
    if labels.len() == 1 && !host.starts_with('[') {
        return says("local", "is a single name, not a public host".into());
    }
    if let Some(top) = labels.last().filter(|l| LOCAL_TOP_LEVEL.contains(l)) {
        return says(
            "local",
            format!("ends in `.{top}`, which is not on the public internet"),
        );
    }
    if let Some(domain) = LOCAL_DOMAINS.iter().find(|d| {
        host.strip_suffix(*d)
            .is_some_and(|rest| rest.ends_with('.'))
    }) {
        return says(
            "local",
            format!("is under `{domain}`, a local development domain"),
        );
    }
    if let Some((branch, why)) = cloud_host(&labels) {
        return says(&format!("cloud:{branch}"), why);
    }
    let label = subdomain_labels(&labels).iter().find(|label| {
        word_tier(label) == Some(TierKind::NonProduction)
            || NON_PRODUCTION_LABELS.contains(&label.trim_end_matches(|c: char| c.is_ascii_digit()))
    })?;
    says(label, format!("has the subdomain `{label}`"))
}

/// Empty, or a placeholder Magento or a deploy step fills in (`{{unsecure_base_url}}`).
fn is_placeholder(host: &str) -> bool {
    host.is_empty() || host.contains(['{', '}', '$', '%', '<', '>'])
}

fn port_reason(port: Option<&str>) -> Option<String> {
    let port = port.filter(|p| NON_PRODUCTION_PORTS.contains(p))?;
    Some(format!(
        "base URL uses port {port}, a local development port"
    ))
}

/// `127.x.x.x`.
fn is_loopback_v4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Adobe Commerce on Cloud environment hosts, `<branch>-<7 chars>-<project>.<region>.magentosite.cloud`
/// (a run code may come first: `french.<branch>-…`). The branch decides: `master` is Starter's
/// production (and Pro's integration master), `production` Pro's, so those say nothing;
/// `staging` and every other branch (integration environments) are non-production.
fn cloud_host(labels: &[&str]) -> Option<(String, String)> {
    let n = labels.len();
    if n < 4 || labels[n - 2] != "magentosite" || labels[n - 1] != "cloud" {
        return None;
    }
    let environment = labels[n - 4];
    let parts: Vec<&str> = environment.split('-').collect();
    let branch = match parts.len() {
        0..=2 => environment.to_string(),
        len => parts[..len - 2].join("-"),
    };
    if branch.starts_with("master") || branch.starts_with("production") {
        return None;
    }
    let what = if branch.starts_with("staging") {
        "a staging environment".to_string()
    } else {
        format!("the integration environment of branch `{branch}`")
    };
    let why = format!("is {what} of Adobe Commerce on Cloud");
    Some((branch, why))
}

/// The labels left of the registrable domain: `shop.acme.com` → `shop`, `staging.acme.co.uk` →
/// `staging`, `acme.dev` → none.
fn subdomain_labels<'l>(labels: &'l [&'l str]) -> &'l [&'l str] {
    let n = labels.len();
    let two_part_suffix = n >= 3 && {
        let top = labels[n - 1];
        top.len() == 2
            && top.bytes().all(|b| b.is_ascii_alphabetic())
            && COUNTRY_SECOND_LEVELS.contains(&labels[n - 2])
    };
    let registrable = if two_part_suffix { 3 } else { 2 };
    &labels[..n.saturating_sub(registrable)]
}

/// The evidence when nothing decides.
pub fn unknown() -> Evidence<TierKind> {
    Evidence {
        value: TierKind::Unknown,
        reason: "no declaration, env file name, MAGE_MODE, nginx server_name or base URL says"
            .into(),
        location: None,
    }
}

/// The tier of `site` when `.magelint.yaml` does not declare it.
/// `named_for` is the deployment a site's environment files (compose, .env, nginx) are named
/// for, when they are.
/// `host` is why the host its nginx server block serves says non-production, and where.
pub(super) fn infer(
    fleet: &Fleet<'_>,
    site: &Site,
    named_for: Option<&(String, FileId)>,
    host: Option<&(String, Location)>,
) -> Evidence<TierKind> {
    let installation = fleet.installation(site);
    if let Some(named) = named_for {
        if let Some((kind, reason)) = super::environment::tier_from_name(fleet, named) {
            return Evidence {
                value: kind,
                reason: reason.into(),
                location: Some(Location::new(named.1, Span::empty_at(0))),
            };
        }
    }
    if let Some(file) = site.env_file {
        if let FileKind::EnvPhp {
            variant: Some(variant),
        } = &fleet.files[file].source.kind
        {
            if let Some(kind) = from_variant(variant) {
                return Evidence {
                    value: kind,
                    reason: format!("its env file is named for `{variant}`").into(),
                    location: Some(Location::new(file, Span::empty_at(0))),
                };
            }
        }
    }
    if let Some(file) = site.env_file.or(installation.config_php) {
        let path = fleet.display_path(file);
        let root = installation.root.file_name().and_then(|n| n.to_str());
        if let Some((kind, directory)) = from_directories(path, &installation.name, root) {
            return Evidence {
                value: kind,
                reason: format!("it is in the directory `{directory}`").into(),
                location: Some(Location::new(file, Span::empty_at(0))),
            };
        }
    }
    if let Some(mode) = fleet.deployment_setting(site, "MAGE_MODE") {
        if let Some(reason) = mode.text().as_deref().and_then(from_mage_mode) {
            return Evidence {
                value: TierKind::NonProduction,
                reason: reason.into(),
                location: Some(mode.location()),
            };
        }
    }
    // The host the site's web server answers for: what its base URL would say.
    if let Some((reason, location)) = host {
        return Evidence {
            value: TierKind::NonProduction,
            reason: reason.clone().into(),
            location: Some(location.clone()),
        };
    }
    for path in base_url_paths(fleet, site) {
        let Some(setting) = fleet.system_setting(site, &path) else {
            continue;
        };
        if let Some(reason) = setting.text().as_deref().and_then(from_base_url) {
            return Evidence {
                value: TierKind::NonProduction,
                reason: reason.into(),
                location: Some(setting.location()),
            };
        }
    }
    unknown()
}

/// The nearest directory that names a tier, and its name: the directories between the
/// installation and the file (`deploy/uat/env.php`; `app/etc` aside), then the installation's
/// own directory (`environments/staging`). `path` and `installation` are display paths.
fn from_directories<'p>(
    path: &'p str,
    installation: &str,
    root_name: Option<&'p str>,
) -> Option<(TierKind, &'p str)> {
    let inside = match installation {
        "" | "." => path,
        name => path
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(path),
    };
    // The file's directories, nearest first (`app/etc` names no tier).
    let mut directories: Vec<&str> = inside.split('/').collect();
    directories.pop();
    directories
        .into_iter()
        .rev()
        .chain(root_name)
        .find_map(|name| Some((from_directory(name)?, name)))
}

/// The base URL paths to look at, in order: default scope, then each website and store view
/// the site's files set one for (multi-website setups put their hosts there).
fn base_url_paths(fleet: &Fleet<'_>, site: &Site) -> Vec<String> {
    const BASE_URLS: [&str; 2] = ["web/secure/base_url", "web/unsecure/base_url"];
    let mut paths: Vec<String> = BASE_URLS.iter().map(|p| format!("default/{p}")).collect();
    let installation = fleet.installation(site);
    for scope in ["websites", "stores"] {
        for file in [site.env_file, installation.config_php]
            .into_iter()
            .flatten()
        {
            let Some(codes) = fleet
                .files
                .get(file)
                .and_then(|f| f.facts.as_ref())
                .and_then(|facts| facts.root.get("system")?.get(scope))
            else {
                continue;
            };
            for entry in codes.value.entries() {
                let code = super::pointer::key_text(&entry.key);
                for base_url in BASE_URLS {
                    let path = format!("{scope}/{code}/{base_url}");
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
        }
    }
    // CONFIG__WEBSITES__<CODE>__WEB__SECURE__BASE_URL and the like.
    for variable in &installation.config_variables {
        let scoped = matches!(
            variable.scope,
            super::ConfigVariableScope::Websites(_) | super::ConfigVariableScope::Stores(_)
        );
        if scoped && BASE_URLS.contains(&variable.path.as_str()) {
            let path = variable.system_path();
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

#[cfg(test)]
#[path = "tier_tests.rs"]
mod tests;
