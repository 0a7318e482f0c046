//! Which schema checks a `.magento.env.yaml`: `vendor/magento/ece-tools/config/schema.yaml`
//! beside it when the tree holds one (the schema the build will use), else the bundled
//! generation of the ece-tools release its composer.lock pins, else the newest.

use super::{bundled, newest, vendor, EnvSchema, Version};
use crate::syntax::{Node, Value};
use std::path::Path;
use std::sync::Arc;

/// Where the installed ece-tools keeps its schema, relative to the project root.
pub const VENDOR_SCHEMA: &str = "vendor/magento/ece-tools/config/schema.yaml";

const ECE_TOOLS: &str = "magento/ece-tools";
const METAPACKAGE: &str = "magento/magento-cloud-metapackage";

/// The schema a file is checked with, and why.
#[derive(Debug)]
pub struct Choice {
    schema: Source,
    /// The release whose variables apply (`since`/`removed`); `None`: the newest.
    pub at: Option<Version>,
    /// Why this schema, in words (`composer.lock pins magento/ece-tools 2002.1.17`).
    pub reason: String,
    /// A vendor schema that exists but cannot be used, with why.
    pub vendor_problem: Option<String>,
    /// Whether the schema is that of the release checked (`false`: the release is older than
    /// every bundled schema, whose findings then only suggest what ece-tools may say).
    pub exact: bool,
}

#[derive(Debug)]
enum Source {
    Bundled(&'static EnvSchema),
    Installed(Arc<EnvSchema>),
}

impl Choice {
    pub fn schema(&self) -> &EnvSchema {
        match &self.schema {
            Source::Bundled(schema) => schema,
            Source::Installed(schema) => schema,
        }
    }

    /// Whether the schema is the installed ece-tools' own file.
    pub fn is_installed(&self) -> bool {
        matches!(self.schema, Source::Installed(_))
    }

    /// The ece-tools release the check stands for, when known.
    pub fn release(&self) -> Option<Version> {
        self.at.or(self.schema().ece_tools_version)
    }

    /// The schema in a message: `ece-tools 2002.1.17`, `the installed ece-tools`.
    pub fn describe(&self) -> String {
        match (&self.schema, self.release()) {
            (Source::Installed(_), _) => format!("the installed ece-tools ({VENDOR_SCHEMA})"),
            (Source::Bundled(_), Some(release)) => format!("ece-tools {release}"),
            (Source::Bundled(schema), None) => format!("ece-tools {}", schema.generation),
        }
    }
}

/// The schema for a `.magento.env.yaml` in `dir`, whose sibling composer.lock (its parsed tree)
/// is `lock`.
pub fn choose(dir: &Path, lock: Option<&Node>) -> Choice {
    let pin = lock.map_or(Pin::Nothing, pin_of);
    let vendor_path = dir.join(VENDOR_SCHEMA);
    let mut vendor_problem = None;
    match vendor::load(&vendor_path) {
        Some(Ok(schema)) => {
            return Choice {
                schema: Source::Installed(schema),
                at: None,
                reason: format!("{VENDOR_SCHEMA}: the schema of the installed ece-tools"),
                vendor_problem: None,
                exact: true,
            }
        }
        Some(Err(problem)) => vendor_problem = Some(problem),
        None => {}
    }
    let (release, mut reason) = match pin {
        Pin::Release(release, reason) => (Some(release), reason),
        Pin::Other(reason) => (None, reason),
        Pin::Nothing => (None, "newest, nothing pins magento/ece-tools".to_string()),
    };
    if vendor_problem.is_some() {
        reason.push_str(&format!(" ({VENDOR_SCHEMA} cannot be read)"));
    }
    let (schema, note, exact) = for_release(release);
    reason.push_str(&note);
    Choice {
        schema: Source::Bundled(schema),
        at: release,
        reason,
        vendor_problem,
        exact,
    }
}

/// The bundled generation for `release`: the oldest one that is not older than it; whether it
/// is that release's schema.
fn for_release(release: Option<Version>) -> (&'static EnvSchema, String, bool) {
    let Some(release) = release else {
        return (newest(), String::new(), true);
    };
    let all = bundled();
    let fitting = all
        .iter()
        .find(|s| s.ece_tools_version.is_some_and(|v| release <= v));
    match fitting {
        Some(schema)
            if schema.generation != release.line() && schema.generation == all[0].generation =>
        {
            (
                schema,
                format!(
                    "; older than every bundled schema: checked with the oldest ({})",
                    schema.generation
                ),
                false,
            )
        }
        Some(schema) => (schema, String::new(), true),
        None => {
            let schema = newest();
            let known = schema
                .ece_tools_version
                .map_or_else(|| schema.generation.clone(), |v| v.to_string());
            (
                schema,
                format!("; newer than {known}, the newest release magelint knows: checked with that one"),
                true,
            )
        }
    }
}

enum Pin {
    /// A release, and why it applies.
    Release(Version, String),
    /// composer.lock says something about ece-tools, but no release (a dev branch).
    Other(String),
    Nothing,
}

/// What composer.lock says of the ece-tools release: the locked package, else the requirement
/// of the Cloud metapackage (a line: its newest known release).
fn pin_of(lock: &Node) -> Pin {
    let packages = ["packages", "packages-dev"]
        .iter()
        .filter_map(|section| lock.get(section))
        .flat_map(|list| list.value.entries().iter().map(|e| &e.value));
    let mut metapackage = None;
    for package in packages {
        let name = text(package.get("name")).unwrap_or_default();
        let version = text(package.get("version")).unwrap_or_default();
        if name.eq_ignore_ascii_case(ECE_TOOLS) {
            return match Version::parse(version) {
                Some(release) => {
                    Pin::Release(release, format!("composer.lock pins {ECE_TOOLS} {version}"))
                }
                None => Pin::Other(format!(
                    "newest, composer.lock locks {ECE_TOOLS} at `{version}`, not a release"
                )),
            };
        }
        if name.eq_ignore_ascii_case(METAPACKAGE) {
            let constraint = package
                .get("require")
                .and_then(|r| r.get(ECE_TOOLS))
                .and_then(|n| text(Some(n)));
            metapackage = Some((version, constraint));
        }
    }
    let Some((meta_version, Some(constraint))) = metapackage else {
        return Pin::Nothing;
    };
    let Some(lowest) = first_version(constraint) else {
        return Pin::Other(format!(
            "newest, composer.lock's {METAPACKAGE} {meta_version} requires {ECE_TOOLS} `{constraint}`"
        ));
    };
    // Composer installs the newest release the constraint allows: of a line, its newest.
    let release = newest()
        .newest_of_line(&lowest.line())
        .filter(|newest| *newest >= lowest)
        .unwrap_or(lowest);
    Pin::Release(
        release,
        format!(
            "composer.lock: {METAPACKAGE} {meta_version} requires {ECE_TOOLS} {constraint} (newest release of that line: {release})"
        ),
    )
}

/// The first version number written in a constraint (`^2002.1.0`, `>=2002.1 <2002.2`).
fn first_version(constraint: &str) -> Option<Version> {
    constraint
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|token| token.contains('.') && token.starts_with(|c: char| c.is_ascii_digit()))
        .and_then(Version::parse)
}

fn text(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{json, Limits};

    fn lock(text: &str) -> Node {
        json::parse(text, &Limits::default()).expect("json").root
    }

    fn choice(lock_text: Option<&str>) -> Choice {
        let node = lock_text.map(lock);
        choose(Path::new("/nonexistent-magelint-dir"), node.as_ref())
    }

    #[test]
    fn pinned_release_picks_its_generation() {
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.1.17"}]}"#,
        ));
        assert_eq!(c.schema().generation, "2002.1");
        assert_eq!(c.at, Some(Version(2002, 1, 17)));
        assert_eq!(c.reason, "composer.lock pins magento/ece-tools 2002.1.17");
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.1.19"}]}"#,
        ));
        assert_eq!(
            c.schema().generation,
            "2002.2",
            "past 2002.1.17: the reconstruction"
        );
        assert_eq!(c.describe(), "ece-tools 2002.1.19");
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.0.22"}]}"#,
        ));
        assert_eq!(c.schema().generation, "2002.1");
        assert!(
            c.reason.contains("older than every bundled schema"),
            "{}",
            c.reason
        );
        assert!(!c.exact);
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.3.1"}]}"#,
        ));
        assert_eq!(c.schema().generation, "2002.2");
        assert!(c.reason.contains("newer than 2002.2.13"), "{}", c.reason);
    }

    #[test]
    fn metapackage_requirement_and_nothing_pinned() {
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/magento-cloud-metapackage", "version": "2.4.4",
                "require": {"magento/ece-tools": "^2002.1.0"}}]}"#,
        ));
        assert_eq!(c.at, Some(Version(2002, 1, 19)));
        assert!(
            c.reason.contains("requires magento/ece-tools ^2002.1.0"),
            "{}",
            c.reason
        );
        let c = choice(Some(
            r#"{"packages": [{"name": "magento/ece-tools", "version": "dev-develop"}]}"#,
        ));
        assert_eq!((c.at, c.schema().generation.as_str()), (None, "2002.2"));
        let c = choice(None);
        assert_eq!(c.reason, "newest, nothing pins magento/ece-tools");
        assert_eq!(c.describe(), "ece-tools 2002.2.13");
        assert_eq!(first_version(">=2002.1 <2002.2"), Some(Version(2002, 1, 0)));
        assert_eq!(first_version("*"), None);
    }
}
