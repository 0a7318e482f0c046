//! The search engine ece-tools configures at deploy, decided as its `SearchEngine` decides it
//! from the repository: the `engine` of `SEARCH_CONFIGURATION` (`.magento.env.yaml`, deploy
//! stage) when written, else the service the relationships give (OpenSearch, then
//! Elasticsearch, then Solr before Magento 2.2, else MySQL); ElasticSuite, when composer.lock
//! has it, overrides both.

use super::Project;
use crate::diagnostic::Location;
use crate::semver::{Constraint, Version};

/// The package that makes ElasticSuite the engine.
pub const ELASTICSUITE: &str = "smile/elasticsuite";

/// The engine and what decides it.
#[derive(Clone, Debug)]
pub struct Engine {
    /// `opensearch`, `elasticsearch7`, `elasticsearch`, `elasticsuite`, `solr`, `mysql`...
    pub name: String,
    /// Where it is decided: the `engine` setting, the relationship, or the locked package;
    /// `None` when nothing gives one (MySQL).
    pub location: Option<Location>,
    /// In words: "SEARCH_CONFIGURATION sets it", "the `opensearch` relationship".
    pub why: String,
}

impl Engine {
    /// Whether ece-tools counts it as Elasticsearch-like (`isESFamily`).
    pub fn is_elasticsearch_family(&self) -> bool {
        self.name.starts_with("elasticsearch")
            || self.name == "elasticsuite"
            || self.name == "opensearch"
    }
}

impl Project<'_> {
    /// The `engine` of `SEARCH_CONFIGURATION` as the deploy stage reads it.
    pub fn configured_engine(&self) -> Option<(String, Location)> {
        let setting = self.stage_value("deploy", "SEARCH_CONFIGURATION")?;
        let engine = setting.node.get("engine")?;
        let name = engine.value.scalar_text()?;
        Some((name, setting.location))
    }

    /// The engine ece-tools configures; `None` when it needs what the repository does not say
    /// (the Magento version, for a Solr relationship).
    pub fn search_engine(&self, magento: Option<&Version>) -> Option<Engine> {
        if let Some(package) = self.locked(ELASTICSUITE) {
            return Some(Engine {
                name: "elasticsuite".to_string(),
                location: Some(package.location),
                why: format!("composer.lock locks {ELASTICSUITE}"),
            });
        }
        if let Some((name, location)) = self.configured_engine() {
            return Some(Engine {
                name,
                location: Some(location),
                why: "SEARCH_CONFIGURATION sets it".to_string(),
            });
        }
        let from_relationship = |name: &str, engine: String| {
            let relationship = self.relationship(name)?;
            Some(Engine {
                name: engine,
                location: Some(relationship.location),
                why: format!("the `{name}` relationship gives it"),
            })
        };
        if self.relationship("opensearch").is_some() {
            let at_least_2_4_6 =
                magento.is_some_and(|v| Version::parse("2.4.6").is_some_and(|b| *v >= b));
            // Before 2.4.6 Magento talks to OpenSearch through its Elasticsearch 7 adapter.
            let name = if at_least_2_4_6 {
                "opensearch"
            } else {
                "elasticsearch7"
            };
            return from_relationship("opensearch", name.to_string());
        }
        if self.relationship("elasticsearch").is_some() {
            // `elasticsearch<major>` from 5 on; the family is what the checks read.
            let major = self
                .deployed("elasticsearch")
                .and_then(|d| Version::parse(&d.version))
                .map(|v| v.minor().0)
                .filter(|major| *major >= 5);
            let name = match major {
                Some(major) => format!("elasticsearch{major}"),
                None => "elasticsearch".to_string(),
            };
            return from_relationship("elasticsearch", name);
        }
        if self.relationship("solr").is_some() {
            // ece-tools asks `satisfies('<2.2')`: composer's `<`, below 2.2's pre-releases.
            let magento = magento?;
            let before_2_2 = Constraint::parse("<2.2").is_some_and(|c| c.matches(magento));
            if before_2_2 {
                return from_relationship("solr", "solr".to_string());
            }
        }
        Some(Engine {
            name: "mysql".to_string(),
            location: None,
            why: "no search relationship gives another".to_string(),
        })
    }
}
