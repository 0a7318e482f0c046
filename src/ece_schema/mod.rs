//! ece-tools' `.magento.env.yaml` schema, by release: which variables exist, their PHP type,
//! allowed values, value validators and stages, as ece-tools' `Config\Schema\Validator` checks
//! them during the build (a failure is ece-tools 10 BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML).
//!
//! The generations magelint bundles are data (`data/ece-tools/schema/*.json`), written by
//! `scripts/ece-tools-schema.py` from ece-tools' `config/schema.yaml` (2002.1, from ece-tools
//! 2002.1.17's source) and a documented delta (2002.2, which the public repository lacks). A
//! project is checked with the one its composer.lock pins ([`choose`]), or with
//! `vendor/magento/ece-tools/config/schema.yaml` when the tree holds it: that file is the schema
//! the build will use.

mod choice;
pub mod php;
mod validate;
mod vendor;

pub use choice::{choose, Choice, VENDOR_SCHEMA};
pub use validate::{validate, EnvFinding, STAGES, WRONG_CONFIGURATION};

use php::Scalar;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One `.magento.env.yaml` of a fleet, checked: the schema it was checked with and why, and
/// what the check found.
#[derive(Debug)]
pub struct EnvYamlCheck {
    pub file: crate::diagnostic::FileId,
    pub choice: Choice,
    pub findings: Vec<EnvFinding>,
}

/// An ece-tools release (`2002.1.17`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// `2002.1.17` or `v2002.1.17` (a fourth part is ignored); `None` for anything else
    /// (`dev-develop`, `2002.1.x-dev`).
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.split('.');
        let mut number = || parts.next()?.parse::<u32>().ok();
        let version = Version(number()?, number()?, number().unwrap_or(0));
        Some(version)
    }

    /// The release line (`2002.1`).
    pub fn line(self) -> String {
        format!("{}.{}", self.0, self.1)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Which values a variable accepts, beyond its type.
#[derive(Clone, Debug, PartialEq)]
pub enum Allowed {
    /// Any value of the type (the schema lists none).
    Any,
    /// One of these, compared as PHP's loose `in_array` does.
    Values(Vec<Scalar>),
    /// The schema lists values magelint cannot know statically (a `!php/const` it cannot
    /// resolve): not checked.
    Unknown,
}

/// A value validator of the schema (`validators:`), as ece-tools' classes check values.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueCheck {
    /// `Config\Schema\Validator\Range`: an integer from `from` to `to`.
    Range { from: i64, to: i64 },
    /// `Config\Schema\Validator\SplitDb`: a list of these values only.
    SplitDb { values: Vec<String> },
    /// A class magelint does not know (a newer release's): not checked.
    Other(String),
}

/// One variable of the schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    /// The `gettype()` name the value must have (`None`: not checked).
    pub php_type: Option<String>,
    pub allowed: Allowed,
    pub checks: Vec<ValueCheck>,
    /// The stages it may be written in (none: a `system` variable).
    pub stages: Vec<String>,
    /// The first release with it, when later than the generation's first.
    pub since: Option<Version>,
    /// The release that removed it, if one did.
    pub removed: Option<Version>,
    /// The release that deprecated it, as written.
    pub deprecated: Option<String>,
}

impl Variable {
    /// Whether the variable exists in release `at` (`None`: the newest).
    pub fn exists_at(&self, at: Option<Version>) -> bool {
        let Some(at) = at else {
            return self.removed.is_none();
        };
        self.since.is_none_or(|since| since <= at) && self.removed.is_none_or(|gone| at < gone)
    }
}

/// A schema: its variables, and where it comes from.
#[derive(Debug)]
pub struct EnvSchema {
    /// `2002.1`, `2002.2`, or `installed` for a vendor schema.
    pub generation: String,
    /// The release the schema is taken from (`2002.1.17`), when known.
    pub ece_tools_version: Option<Version>,
    pub source: String,
    /// The newest release of each line (`2002.1` → 2002.1.19), for constraints that name a line.
    pub newest_releases: Vec<(String, Version)>,
    pub variables: Vec<Variable>,
    index: HashMap<String, usize>,
}

impl EnvSchema {
    /// A schema from ece-tools' `config/schema.yaml` shape (`variables:` by name, each with
    /// `type`, `allowed`, `stages`, `validators: [{class, …arguments}]`) or magelint's bundled
    /// data (the same, validators' arguments under `args`).
    pub fn from_json(root: &Json) -> Result<EnvSchema, String> {
        let variables = root
            .get("variables")
            .and_then(Json::as_object)
            .ok_or("it has no `variables` map")?;
        let text = |key: &str| root.get(key).and_then(Json::as_str).map(String::from);
        let mut schema = EnvSchema {
            generation: text("generation").unwrap_or_else(|| "installed".into()),
            ece_tools_version: text("ece_tools_version").and_then(|v| Version::parse(&v)),
            source: text("source").unwrap_or_default(),
            newest_releases: root
                .get("newest_releases")
                .and_then(Json::as_object)
                .map(|lines| {
                    lines
                        .iter()
                        .filter_map(|(line, v)| Some((line.clone(), Version::parse(v.as_str()?)?)))
                        .collect()
                })
                .unwrap_or_default(),
            variables: Vec::with_capacity(variables.len()),
            index: HashMap::with_capacity(variables.len()),
        };
        for (name, spec) in variables {
            let variable = variable(name, spec);
            schema.index.insert(name.clone(), schema.variables.len());
            schema.variables.push(variable);
        }
        Ok(schema)
    }

    /// The variable `name`, whatever the release.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.index.get(name).map(|&i| &self.variables[i])
    }

    /// The newest known release of `line` (`2002.1`).
    pub fn newest_of_line(&self, line: &str) -> Option<Version> {
        self.newest_releases
            .iter()
            .find(|(l, _)| l == line)
            .map(|(_, v)| *v)
    }
}

fn variable(name: &str, spec: &Json) -> Variable {
    let strings = |key: &str| -> Vec<String> {
        spec.get(key)
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let version = |key: &str| {
        spec.get(key)
            .and_then(Json::as_str)
            .and_then(Version::parse)
    };
    let allowed = match spec.get("allowed").and_then(Json::as_array) {
        Some(values) if !values.is_empty() => {
            let scalars: Option<Vec<Scalar>> = values.iter().map(Scalar::of_json).collect();
            scalars.map_or(Allowed::Unknown, Allowed::Values)
        }
        _ => Allowed::Any,
    };
    let checks = spec
        .get("validators")
        .and_then(Json::as_array)
        .map(|list| list.iter().map(value_check).collect())
        .unwrap_or_default();
    Variable {
        name: name.to_string(),
        php_type: spec.get("type").and_then(Json::as_str).map(String::from),
        allowed,
        checks,
        stages: strings("stages"),
        since: version("since"),
        removed: version("removed"),
        deprecated: spec
            .get("deprecated")
            .and_then(Json::as_str)
            .map(String::from),
    }
}

fn value_check(validator: &Json) -> ValueCheck {
    let class = validator
        .get("class")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .trim_start_matches('\\');
    // The constructor's arguments: `args`, or (as schema.yaml writes them) every other key in
    // order, as ece-tools' ValidatorFactory passes them.
    let args: Vec<&Json> = match validator.get("args").and_then(Json::as_array) {
        Some(args) => args.iter().collect(),
        None => validator
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| *k != "class")
                    .map(|(_, v)| v)
                    .collect()
            })
            .unwrap_or_default(),
    };
    match class.rsplit('\\').next() {
        Some("Range") if class.starts_with("Magento\\MagentoCloud\\") => {
            match (
                args.first().and_then(|a| a.as_i64()),
                args.get(1).and_then(|a| a.as_i64()),
            ) {
                (Some(from), Some(to)) => ValueCheck::Range { from, to },
                _ => ValueCheck::Other(class.to_string()),
            }
        }
        Some("SplitDb") if class.starts_with("Magento\\MagentoCloud\\") => {
            let values = validator
                .get("values")
                .and_then(Json::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Json::as_str)
                        .map(String::from)
                        .collect()
                })
                // ece-tools' DeployInterface::SPLIT_DB_VALUES, for a vendor schema.
                .unwrap_or_else(|| vec!["quote".into(), "sales".into()]);
            ValueCheck::SplitDb { values }
        }
        _ => ValueCheck::Other(class.to_string()),
    }
}

/// The bundled generations, oldest first.
pub fn bundled() -> &'static [EnvSchema] {
    static BUNDLED: OnceLock<Vec<EnvSchema>> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        [
            include_str!("../../data/ece-tools/schema/2002.1.json"),
            include_str!("../../data/ece-tools/schema/2002.2.json"),
        ]
        .iter()
        .map(|text| {
            // Bundled and checked by tests: a broken file is a build defect, not user input.
            let json: Json = serde_json::from_str(text).expect("bundled ece-tools schema is JSON");
            EnvSchema::from_json(&json).expect("bundled ece-tools schema has variables")
        })
        .collect()
    })
}

/// The newest bundled generation.
pub fn newest() -> &'static EnvSchema {
    let all = bundled();
    &all[all.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(Version::parse("2002.1.17"), Some(Version(2002, 1, 17)));
        assert_eq!(Version::parse("v2002.2.0"), Some(Version(2002, 2, 0)));
        assert_eq!(Version::parse("2002.1"), Some(Version(2002, 1, 0)));
        assert_eq!(Version::parse("dev-develop"), None);
        assert!(Version(2002, 1, 19) < Version(2002, 2, 0));
    }

    #[test]
    fn bundled_generations_load_in_order() {
        let all = bundled();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].generation, "2002.1");
        assert_eq!(all[0].ece_tools_version, Some(Version(2002, 1, 17)));
        assert_eq!(all[1].generation, "2002.2");
        assert!(all[0].ece_tools_version < all[1].ece_tools_version);
        let level = all[0].variable("SCD_COMPRESSION_LEVEL").expect("known");
        assert_eq!(level.php_type.as_deref(), Some("integer"));
        assert_eq!(level.checks, [ValueCheck::Range { from: 0, to: 9 }]);
        let strategy = all[0].variable("SCD_STRATEGY").expect("known");
        assert_eq!(
            strategy.allowed,
            Allowed::Values(vec![
                Scalar::Str("compact".into()),
                Scalar::Str("quick".into()),
                Scalar::Str("standard".into())
            ])
        );
        assert!(all[0].variable("USE_LUA").is_none());
        let lua = all[1].variable("USE_LUA").expect("in the newest");
        assert!(!lua.exists_at(Some(Version(2002, 1, 17))));
        assert!(lua.exists_at(Some(Version(2002, 2, 0))));
        assert_eq!(all[1].newest_of_line("2002.1"), Some(Version(2002, 1, 19)));
    }

    #[test]
    fn schema_yaml_shape_validators_take_their_arguments_in_order() {
        let json: Json = serde_json::from_str(
            r#"{"variables": {"X": {"type": "integer", "stages": ["build"], "validators": [
                {"class": "Magento\\MagentoCloud\\Config\\Schema\\Validator\\Range", "from": 1, "to": 5},
                {"class": "Vendor\\Other"}]}}}"#,
        )
        .expect("json");
        let schema = EnvSchema::from_json(&json).expect("schema");
        let x = schema.variable("X").expect("X");
        assert_eq!(
            x.checks,
            [
                ValueCheck::Range { from: 1, to: 5 },
                ValueCheck::Other("Vendor\\Other".into())
            ]
        );
        assert_eq!(schema.generation, "installed");
        assert!(EnvSchema::from_json(&serde_json::json!({"version": 1})).is_err());
    }
}

#[cfg(test)]
mod validate_tests;
