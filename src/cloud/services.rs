//! ece-tools' service facts by release (data/ece-tools/services.json, from
//! `scripts/ece-tools-services.py`): which service versions each Magento version supports, and
//! when service versions reach their end of life. Both change from release to release, so a
//! project is judged only with the facts of the release its composer.lock locks.

use crate::semver::{Constraint, Version};
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
    /// Ordered (elasticsearch/elasticsearch client constraint, Elasticsearch service
    /// constraint, the service versions in words): the first row the client satisfies says
    /// which services it works with.
    #[serde(default)]
    pub elasticsearch_client: Vec<(String, String, String)>,
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

    /// Per service, the versions this release supports for Magento `magento`: the service
    /// constraint of the first Magento range it satisfies. `None` when a service other than
    /// OpenSearch has no range for it: ece-tools then gives up on the whole check (no code);
    /// OpenSearch without a range is "not supported" with that Magento.
    pub fn supported_for(&self, magento: &Version) -> Option<Vec<(&str, &str)>> {
        let mut supported = Vec::new();
        for (service, ranges) in &self.supported {
            let found = ranges.iter().find(|(magento_range, _)| {
                Constraint::parse(magento_range).is_some_and(|c| c.matches(magento))
            });
            match found {
                Some((_, versions)) => supported.push((service.as_str(), versions.as_str())),
                None if service == "opensearch" => {}
                None => return None,
            }
        }
        Some(supported)
    }
}

/// ece-tools' verdict on `version` of `service` given the `supported` table of a Magento
/// version: `None` when supported (or `latest`, which it never checks), else the constraint it
/// fails (`None` inside: the service has no supported version at all). A version that cannot
/// be compared is no verdict.
pub fn unsupported<'t>(
    supported: &[(&str, &'t str)],
    service: &str,
    version: &str,
) -> Option<Option<&'t str>> {
    if version == "latest" {
        return None;
    }
    let Some((_, versions)) = supported.iter().find(|(name, _)| *name == service) else {
        return Some(None);
    };
    match Constraint::satisfies(version, versions) {
        Some(false) => Some(Some(versions)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::Date;
    use crate::semver::Constraint;

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
            for (client, service, _) in &release.elasticsearch_client {
                assert!(Constraint::parse(client).is_some(), "{client}");
                assert!(Constraint::parse(service).is_some(), "{service}");
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

    /// ece-tools' own test of its table (src/Test/Unit/Service/ValidatorTest.php at 2002.1.17,
    /// `validateVersionsDataProvider`): Magento version, service versions, how many of them are
    /// reported.
    #[test]
    fn the_table_of_2002_1_17_gives_ece_tools_test_verdicts() {
        let release = release("2002.1.17").expect("bundled");
        // (Magento version, [(service, version)], how many are reported)
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], usize);
        let cases: &[Case] = &[
            ("2.1.4", &[], 0),
            ("2.1.4", &[("php", "7.0.2")], 0),
            ("2.2.2", &[("nginx", "latest")], 0),
            (
                "2.2.4",
                &[
                    ("php", "7.0.13"),
                    ("mariadb", "10.0"),
                    ("nginx", "1.9"),
                    ("varnish", "4.5"),
                    ("redis", "5.0"),
                    ("elasticsearch", "2.4.2"),
                    ("rabbitmq", "3.5"),
                ],
                0,
            ),
            ("2.2.8", &[("elasticsearch", "6.5.13")], 0),
            (
                "2.5.0",
                &[
                    ("php", "7.2.13"),
                    ("mariadb", "10.6.1"),
                    ("nginx", "1.9"),
                    ("varnish", "7.1.1"),
                    ("redis", "latest"),
                    ("elasticsearch", "6.7"),
                    ("rabbitmq", "3.7"),
                ],
                3,
            ),
            (
                "2.4.0",
                &[
                    ("php", "7.4"),
                    ("mariadb", "10.4"),
                    ("nginx", "1.9"),
                    ("varnish", "6.2"),
                    ("redis", "5.0"),
                    ("elasticsearch", "6.8"),
                    ("rabbitmq", "3.8"),
                ],
                1,
            ),
            (
                "2.4.0",
                &[
                    ("php", "7.4"),
                    ("mariadb", "10.4"),
                    ("nginx", "1.9"),
                    ("varnish", "6.2"),
                    ("redis", "5.0"),
                    ("elasticsearch", "7.5"),
                    ("rabbitmq", "3.8"),
                ],
                0,
            ),
            (
                "2.4.1",
                &[
                    ("php", "7.4"),
                    ("mariadb", "10.4"),
                    ("nginx", "1.9"),
                    ("varnish", "6.2"),
                    ("redis", "5.0"),
                    ("elasticsearch", "7.9"),
                    ("rabbitmq", "3.8"),
                ],
                1,
            ),
            ("2.4.1", &[("mysql", "5.6")], 1),
            ("2.4.1", &[("mysql", "8.0.2")], 0),
            ("2.4.1", &[("mysql", "8.0")], 0),
            (
                "2.4.2",
                &[
                    ("php", "7.4"),
                    ("mariadb", "10.4"),
                    ("nginx", "1.9"),
                    ("varnish", "6.2"),
                    ("redis", "5.0"),
                    ("elasticsearch", "7.9"),
                    ("rabbitmq", "3.8"),
                ],
                0,
            ),
            (
                "2.3.6",
                &[
                    ("php", "7.4"),
                    ("mariadb", "10.3"),
                    ("nginx", "1.19"),
                    ("varnish", "6.2"),
                    ("redis", "5.0"),
                    ("elasticsearch", "7.9"),
                ],
                3,
            ),
            ("2.3.6-p1", &[("mariadb", "10.3")], 0),
            ("2.3.6-p1", &[("mariadb", "10.4")], 1),
            ("2.3.7", &[("elasticsearch", "7.9")], 0),
            ("2.1.4", &[("php", "5.6")], 1),
            (
                "2.2.4",
                &[
                    ("php", "7.0.13"),
                    ("mariadb", "11.0"),
                    ("nginx", "0.9"),
                    ("varnish", "4.0.9"),
                    ("redis", "3.1"),
                    ("elasticsearch", "6.5"),
                    ("rabbitmq", "3.5"),
                ],
                4,
            ),
            ("2.3.7", &[("opensearch", "1.1")], 1),
            ("2.3.7-p2", &[("opensearch", "1.2")], 1),
            ("2.3.7-p3", &[("opensearch", "1.1")], 0),
            (
                "2.3.7-p4",
                &[
                    ("php", "7.4.0"),
                    ("mariadb", "10.3.35"),
                    ("nginx", "1.18.0"),
                    ("varnish", "6.5.1"),
                    ("redis", "6.0.12"),
                    ("opensearch", "1.2"),
                    ("rabbitmq", "3.9.0"),
                ],
                0,
            ),
            ("2.3.7-p3", &[("opensearch", "1.2.2")], 0),
            ("2.4.0", &[("opensearch", "1.2")], 1),
            ("2.4.3-p2", &[("opensearch", "1.2")], 0),
            ("2.4.3", &[("opensearch", "1.2.2")], 1),
            (
                "2.4.4",
                &[
                    ("opensearch", "1.2.2"),
                    ("redis", "6.2"),
                    ("redis-session", "6.2"),
                    ("rabbitmq", "3.9"),
                ],
                0,
            ),
            ("2.3.7-p2", &[("elasticsearch", "7.10")], 1),
            ("2.3.7-p3", &[("elasticsearch", "7.10")], 0),
            ("2.4.0", &[("elasticsearch", "7.10")], 1),
            ("2.4.1", &[("elasticsearch", "7.10")], 1),
            ("2.4.2", &[("elasticsearch", "7.10")], 1),
            ("2.4.3", &[("elasticsearch", "7.10")], 0),
            ("2.4.4", &[("elasticsearch", "7.10")], 0),
            (
                "2.4.3-p3",
                &[
                    ("php", "7.4.0"),
                    ("mariadb", "10.4.14"),
                    ("nginx", "1.18.0"),
                    ("varnish", "6.5.1"),
                    ("redis", "6.0.12"),
                    ("opensearch", "1.2"),
                    ("rabbitmq", "3.8.0"),
                ],
                0,
            ),
            ("2.4.3-p3", &[("rabbitmq", "3.9.0")], 0),
            (
                "2.4.4-p1",
                &[
                    ("php", "8.1.0"),
                    ("mariadb", "10.4.22"),
                    ("nginx", "1.18.0"),
                    ("varnish", "7.0.0"),
                    ("redis", "6.2.6"),
                    ("opensearch", "1.2"),
                    ("rabbitmq", "3.9.0"),
                ],
                0,
            ),
            ("2.4.5", &[("elasticsearch", "7.10")], 0),
            (
                "2.4.5",
                &[
                    ("php", "8.0.0"),
                    ("elasticsearch", "7.11.0"),
                    ("mariadb", "10.5.0"),
                    ("varnish", "7.1.0"),
                    ("redis", "6.1.3"),
                    ("opensearch", "1.0.0"),
                    ("rabbitmq", "3.8.1"),
                ],
                6,
            ),
            (
                "2.4.5",
                &[
                    ("php", "8.1.0"),
                    ("mariadb", "10.4.22"),
                    ("nginx", "1.18.0"),
                    ("varnish", "7.0.0"),
                    ("redis", "6.2.6"),
                    ("opensearch", "1.2"),
                    ("rabbitmq", "3.9.0"),
                ],
                0,
            ),
            ("2.4.6", &[("elasticsearch", "7.11")], 1),
            (
                "2.4.6",
                &[
                    ("php", "8.2.0"),
                    ("mariadb", "10.6.0"),
                    ("varnish", "7.1.1"),
                    ("redis", "7.0.0"),
                    ("opensearch", "2.3.0"),
                    ("rabbitmq", "3.9.0"),
                ],
                0,
            ),
            (
                "2.4.6",
                &[
                    ("php", "8.2.0"),
                    ("mariadb", "10.6.0"),
                    ("varnish", "7.1.1"),
                    ("redis", "7.0.0"),
                    ("opensearch", "2.3.0"),
                    ("rabbitmq", "3.11.0"),
                ],
                0,
            ),
            (
                "2.4.6",
                &[
                    ("php", "8.2.0"),
                    ("mariadb", "10.6.0"),
                    ("varnish", "7.1.1"),
                    ("redis", "7.0.0"),
                    ("opensearch", "2.3.0"),
                    ("rabbitmq", "3.8.0"),
                ],
                1,
            ),
            (
                "2.4.7",
                &[
                    ("php", "8.2.0"),
                    ("mariadb", "10.6.0"),
                    ("varnish", "7.1.1"),
                    ("redis", "7.0.0"),
                    ("opensearch", "2.3.0"),
                    ("rabbitmq", "3.9.0"),
                ],
                1,
            ),
            (
                "2.4.7",
                &[
                    ("php", "8.2.0"),
                    ("mariadb", "10.6.0"),
                    ("varnish", "7.1.1"),
                    ("redis", "7.0.0"),
                    ("opensearch", "2.3.0"),
                    ("rabbitmq", "3.11.0"),
                ],
                0,
            ),
        ];
        for (magento, services, expected) in cases {
            let version = Version::parse(magento).expect(magento);
            let supported = release.supported_for(&version).expect(magento);
            let reported = services
                .iter()
                .filter(|(service, v)| unsupported(&supported, service, v).is_some())
                .count();
            assert_eq!(reported, *expected, "Magento {magento}: {services:?}");
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
