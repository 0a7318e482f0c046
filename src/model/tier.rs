//! Tier inference: is a site production? First match wins: `.magelint.yaml`, env file variant
//! name, MAGE_MODE, base URL host.

use super::{Evidence, TierKind};

const PRODUCTION_NAMES: &[&str] = &["production", "prod", "live", "master"];
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
    "docker",
];
/// Host labels that name a non-production environment (`mcstaging.` is Fastly's convention).
const NON_PRODUCTION_LABELS: &[&str] = &[
    "staging",
    "stage",
    "stg",
    "dev",
    "uat",
    "qa",
    "preprod",
    "mcstaging",
    "test",
];
const NON_PRODUCTION_SUFFIXES: &[&str] = &[
    ".test",
    ".local",
    ".localhost",
    ".docker",
    ".magentosite.cloud",
];
/// Ports that local and preview environments use, never a public storefront.
const NON_PRODUCTION_PORTS: &[&str] = &["8080", "8443", "8888"];

/// The tier an env file's variant name says (`env.staging.php` → non-production).
pub fn from_variant(variant: &str) -> Option<TierKind> {
    let variant = variant.to_ascii_lowercase();
    if PRODUCTION_NAMES.contains(&variant.as_str()) {
        Some(TierKind::Production)
    } else if NON_PRODUCTION_NAMES.contains(&variant.as_str()) {
        Some(TierKind::NonProduction)
    } else {
        None
    }
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
    if host.is_empty() || host.starts_with('{') {
        return None;
    }
    if host == "localhost" || host == "127.0.0.1" || host == "[::1]" {
        return Some(format!("base URL host `{host}` is local"));
    }
    if let Some(suffix) = NON_PRODUCTION_SUFFIXES.iter().find(|s| host.ends_with(*s)) {
        return Some(format!("base URL host `{host}` ends in `{suffix}`"));
    }
    if let Some(label) = host
        .split(['.', '-'])
        .find(|l| NON_PRODUCTION_LABELS.contains(l))
    {
        return Some(format!("base URL host `{host}` has the label `{label}`"));
    }
    if let Some(port) = port.filter(|p| NON_PRODUCTION_PORTS.contains(p)) {
        return Some(format!("base URL uses port {port}"));
    }
    None
}

/// The evidence when nothing decides.
pub fn unknown() -> Evidence<TierKind> {
    Evidence {
        value: TierKind::Unknown,
        reason: "no declaration, env file name, MAGE_MODE or base URL says".into(),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for url in [
            "http://localhost:8080/",
            "https://magento.test/",
            "https://mcstaging.acme.com/",
            "https://staging-5em2ouy-abc.us-3.magentosite.cloud/",
            "https://dev.acme.com/",
            "https://shop.acme.com:8443/",
            "http://127.0.0.1/",
        ] {
            assert!(from_base_url(url).is_some(), "{url}");
        }
        for url in [
            "https://www.acme.com/",
            "https://devices.example.com/",
            "{{unsecure_base_url}}",
            "",
        ] {
            assert!(from_base_url(url).is_none(), "{url}");
        }
    }

    #[test]
    fn variants() {
        assert_eq!(from_variant("Production"), Some(TierKind::Production));
        assert_eq!(from_variant("staging"), Some(TierKind::NonProduction));
        assert_eq!(from_variant("docker"), Some(TierKind::NonProduction));
        assert_eq!(from_variant("eu"), None);
    }
}
