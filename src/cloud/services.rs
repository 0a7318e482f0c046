//! ece-tools' service facts by release (data/ece-tools/services.json, from
//! `scripts/ece-tools-services.py`): which service versions each Magento version supports, and
//! when service versions reach their end of life. Both change from release to release, so a
//! project is judged only with the facts of the release its composer.lock locks.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One service version's end of life (`None`: none announced).
#[derive(Debug, serde::Deserialize)]
pub struct EolEntry {
    pub version: String,
    pub eol: Option<String>,
}

/// The facts of one or more ece-tools releases.
#[derive(Debug, serde::Deserialize)]
pub struct Release {
    pub ece_tools_versions: Vec<String>,
    /// The ece-tools tree the facts were read from (the newest of `ece_tools_versions`).
    pub source: String,
    /// That commit's date.
    pub date: String,
    /// Per service, ordered (Magento constraint, service constraint) pairs: the first Magento
    /// constraint the Magento version satisfies gives the service versions it supports.
    pub supported: BTreeMap<String, Vec<(String, String)>>,
    /// Per service (php, mariadb, elasticsearch, rabbitmq, redis), its versions' end of life.
    pub eol: BTreeMap<String, Vec<EolEntry>>,
}

#[derive(Debug, serde::Deserialize)]
struct ServiceFacts {
    releases: Vec<Release>,
}

fn facts() -> &'static ServiceFacts {
    static FACTS: OnceLock<ServiceFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        // Bundled and checked by a test: a broken file is a build defect, not user input.
        serde_json::from_str(include_str!("../../data/ece-tools/services.json"))
            .expect("data/ece-tools/services.json is valid")
    })
}

/// The facts of ece-tools `version` (as composer.lock locks it: `2002.1.17`), if bundled.
pub fn release(version: &str) -> Option<&'static Release> {
    let version = version.trim().trim_start_matches(['v', 'V']);
    facts()
        .releases
        .iter()
        .find(|r| r.ece_tools_versions.iter().any(|v| v == version))
}

impl Release {
    /// The newest release these facts stand for.
    pub fn newest(&self) -> &str {
        self.ece_tools_versions.last().map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::constraint::Constraint;
    use crate::cloud::Date;

    #[test]
    fn every_bundled_constraint_and_date_reads() {
        assert!(!facts().releases.is_empty());
        for release in &facts().releases {
            assert!(!release.ece_tools_versions.is_empty());
            assert!(release
                .source
                .starts_with("https://github.com/magento/ece-tools/"));
            assert!(Date::parse(&release.date).is_some(), "{}", release.date);
            for (service, ranges) in &release.supported {
                for (magento, versions) in ranges {
                    assert!(Constraint::parse(magento).is_some(), "{service}: {magento}");
                    assert!(
                        Constraint::parse(versions).is_some(),
                        "{service}: {versions}"
                    );
                }
            }
            for entries in release.eol.values() {
                for entry in entries {
                    assert!(Constraint::parse(&format!("{}.x", entry.version)).is_some());
                    if let Some(eol) = &entry.eol {
                        assert!(Date::parse(eol).is_some(), "{eol}");
                    }
                }
            }
        }
    }

    #[test]
    fn finds_a_release_by_its_locked_version() {
        let release = release("2002.1.17").expect("bundled");
        assert_eq!(release.newest(), "2002.1.17");
        assert!(super::release("v2002.1.13").is_some());
        assert!(super::release("2002.2.10").is_none());
        assert!(super::release("2002.1.8").is_none());
        let php = &release.eol["php"];
        assert_eq!(php[0].version, "7.0");
        assert_eq!(php[0].eol.as_deref(), Some("2019-01-10"));
    }
}
