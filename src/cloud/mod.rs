//! An Adobe Commerce on cloud infrastructure project as ece-tools sees it before a deploy,
//! read from an installation's files: the PHP of `.magento.app.yaml` `type`, its
//! `relationships` and the `.magento/services.yaml` services they name (which become
//! `MAGENTO_CLOUD_RELATIONSHIPS`, where ece-tools reads service versions), and the Magento and
//! ece-tools versions composer.lock locks. Rules that stand for ece-tools' cross-file
//! validators read the project here, with ece-tools' own data (service support table, end of
//! life dates: data/ece-tools/services.json) and today's date (`today`).

mod date;
pub mod scd;
pub mod search;
mod services;

pub use date::{today, Date, TODAY_VARIABLE};
pub use services::{release, unsupported, EolEntry, Release};

use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::model::composer_lock::LockedPackage;
use crate::model::magento_version::{deployed, MagentoVersion};
use crate::model::{Fleet, Installation};
use crate::syntax::{Node, Value};

pub use crate::model::magento_version::MAGENTO_BASE;
pub const ECE_TOOLS: &str = "magento/ece-tools";

/// A Cloud project's files, as their facts: an installation's, or a .magento.env.yaml beside no
/// installation (every other file then absent). The one model every EC rule that needs more
/// than one file reads.
pub struct Project<'a> {
    pub installation: Option<&'a Installation>,
    pub app_yaml: Option<(FileId, &'a Node)>,
    pub services_yaml: Option<(FileId, &'a Node)>,
    pub composer_lock: Option<(FileId, &'a Node)>,
    pub env_yaml: Option<(FileId, &'a Node)>,
    pub config_php: Option<(FileId, &'a Node)>,
}

/// A relationship of `.magento.app.yaml`: its name (the key ece-tools looks services up by)
/// and the service it names.
#[derive(Clone, Debug)]
pub struct Relationship<'a> {
    pub name: String,
    /// The service name (`mysql` of `"mysql:mysql"`); `None` when the value cannot be read.
    pub service: Option<String>,
    /// Where the relationship is written (its key).
    pub location: Location,
    pub node: &'a Node,
}

/// A service of `.magento/services.yaml`.
#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    /// The type as written (`mysql:10.6`).
    pub type_text: String,
    /// What comes before the `:` (`mysql`).
    pub kind: String,
    /// What comes after it (`10.6`), if anything.
    pub version: Option<String>,
    /// Where the type is written (its value), else the service's key.
    pub location: Location,
}

/// The PHP of `.magento.app.yaml` `type: php:8.3`.
#[derive(Clone, Debug)]
pub struct AppPhp {
    /// `8.3`.
    pub version: String,
    pub location: Location,
}

impl<'a> Project<'a> {
    pub fn of(fleet: &Fleet<'a>, installation: &'a Installation) -> Project<'a> {
        let files = fleet.files;
        let root = |id: Option<FileId>| {
            let id = id?;
            Some((id, &files.get(id)?.facts.as_ref()?.root))
        };
        Project {
            installation: Some(installation),
            app_yaml: root(installation.app_yaml),
            services_yaml: root(installation.services_yaml),
            composer_lock: root(installation.composer_lock),
            env_yaml: root(installation.env_yaml),
            config_php: root(installation.config_php),
        }
    }

    /// The locked package `name` (packages, then packages-dev), without reading the others.
    pub fn locked(&self, name: &str) -> Option<LockedPackage> {
        let (id, root) = self.composer_lock?;
        crate::model::composer_lock::locked_package(id, root, name)
    }

    /// A .magento.env.yaml that belongs to no installation: ece-tools reads it alone.
    pub fn env_yaml_alone(env_yaml: (FileId, &'a Node)) -> Project<'a> {
        Project {
            installation: None,
            app_yaml: None,
            services_yaml: None,
            composer_lock: None,
            env_yaml: Some(env_yaml),
            config_php: None,
        }
    }

    /// .magento.env.yaml's tree, if the project has one.
    pub fn env_root(&self) -> Option<&'a Node> {
        self.env_yaml.map(|(_, root)| root)
    }

    /// The file .magento.env.yaml's findings point into.
    pub fn env_file(&self) -> Option<FileId> {
        self.env_yaml.map(|(file, _)| file)
    }

    /// The packages composer.lock locks (empty without one).
    pub fn locked_packages(&self) -> Vec<LockedPackage> {
        match self.composer_lock {
            Some((id, root)) => crate::model::composer_lock::locked_packages(id, root),
            None => Vec::new(),
        }
    }

    /// The Magento version ece-tools sees (`magento_version::deployed`:
    /// DEPLOYED_MAGENTO_VERSION_FROM_GIT, else magento/magento2-base's locked version).
    pub fn magento(&self) -> Option<MagentoVersion> {
        deployed(self.env_yaml, self.composer_lock)
    }

    /// Whether ece-tools runs on the project, so that its validators apply (`ece_tools_runs`).
    pub fn runs_ece_tools(&self) -> bool {
        ece_tools_runs(
            self.app_yaml.map(|(_, root)| root),
            self.composer_lock,
            self.env_yaml.is_some(),
        )
    }

    /// The PHP version `.magento.app.yaml` runs, from `type: php:X.Y`.
    pub fn php(&self) -> Option<AppPhp> {
        let (id, root) = self.app_yaml?;
        let node = root.get("type")?;
        let text = node.value.as_str()?.trim();
        let version = text.strip_prefix("php:")?.trim();
        // `php:8.3-rc` runs 8.3 (a release candidate of it).
        let version = version.split('-').next().unwrap_or(version);
        (!version.is_empty()).then(|| AppPhp {
            version: version.to_string(),
            location: Location::new(id, node.span).with_pointer("/type"),
        })
    }

    /// The relationships of `.magento.app.yaml`, in file order.
    pub fn relationships(&self) -> Vec<Relationship<'a>> {
        let Some((id, root)) = self.app_yaml else {
            return Vec::new();
        };
        let Some(node) = root.get("relationships") else {
            return Vec::new();
        };
        node.value
            .entries()
            .iter()
            .filter_map(|entry| {
                let name = entry.key.as_str()?.to_string();
                let service = match &entry.value.value {
                    // `database: "mysql:mysql"`.
                    Value::String(text) => text.split(':').next().map(|s| s.trim().to_string()),
                    // `database: {service: mysql, endpoint: mysql}`.
                    Value::Array { .. } => entry
                        .value
                        .get("service")
                        .and_then(|s| s.value.as_str())
                        .map(|s| s.trim().to_string()),
                    // `mysql:` alone: the service of the same name, its default endpoint.
                    Value::Null => Some(name.clone()),
                    _ => None,
                };
                let span = entry.key_span.get().unwrap_or(entry.value.span);
                Some(Relationship {
                    location: Location::new(id, span)
                        .with_pointer(format!("/relationships/{}", escape(&name))),
                    name,
                    service: service.filter(|s| !s.is_empty()),
                    node: &entry.value,
                })
            })
            .collect()
    }

    /// The relationship named `name` (ece-tools looks services up by relationship name).
    pub fn relationship(&self, name: &str) -> Option<Relationship<'a>> {
        self.relationships().into_iter().find(|r| r.name == name)
    }

    /// The service `name` of `.magento/services.yaml`.
    pub fn service(&self, name: &str) -> Option<Service> {
        let (id, root) = self.services_yaml?;
        let entry = root.entry(name)?;
        let key_span = entry.key_span.get().unwrap_or(entry.value.span);
        let (type_text, location) = match entry.value.get("type") {
            Some(node) => (
                node.value.scalar_text().unwrap_or_default(),
                Location::new(id, node.span).with_pointer(format!("/{}/type", escape(name))),
            ),
            None => (
                String::new(),
                Location::new(id, key_span).with_pointer(format!("/{}", escape(name))),
            ),
        };
        let (kind, version) = match type_text.split_once(':') {
            Some((kind, version)) => (kind.trim().to_string(), Some(version.trim().to_string())),
            None => (type_text.trim().to_string(), None),
        };
        Some(Service {
            name: name.to_string(),
            type_text,
            kind,
            version: version.filter(|v| !v.is_empty()),
            location,
        })
    }

    /// The service a relationship named `name` connects to, if both are written.
    pub fn related_service(&self, name: &str) -> Option<(Relationship<'a>, Service)> {
        let relationship = self.relationship(name)?;
        let service = self.service(relationship.service.as_deref()?)?;
        Some((relationship, service))
    }
}

/// A service as ece-tools finds it for a deploy: through the relationship it reads, with the
/// version of its `services.yaml` type (what `MAGENTO_CLOUD_RELATIONSHIPS` carries).
#[derive(Clone, Debug)]
pub struct Deployed<'a> {
    /// ece-tools' name of the service (`redis-session`, `mariadb`).
    pub name: &'static str,
    pub relationship: Relationship<'a>,
    pub service: Service,
    pub version: String,
}

impl<'a> Project<'a> {
    /// The service ece-tools knows as `name` (`rabbitmq`, `redis`, `redis-session`,
    /// `elasticsearch`, `opensearch`, `database`), if a relationship it reads names a service
    /// with a version. The database is `mariadb` for the `mysql` and `mariadb` types (MariaDB
    /// on the cloud) and `mysql` otherwise (`oracle-mysql`).
    pub fn deployed(&self, name: &str) -> Option<Deployed<'a>> {
        // ece-tools takes the first of these relationships that exists.
        let relationships: &[&str] = match name {
            "rabbitmq" => &["rabbitmq", "mq", "amqp"],
            "redis" => &["redis"],
            "redis-session" => &["redis-session"],
            "elasticsearch" => &["elasticsearch"],
            "opensearch" => &["opensearch"],
            "database" => &["database"],
            _ => return None,
        };
        let relationship = relationships.iter().find_map(|r| self.relationship(r))?;
        let service = self.service(relationship.service.as_deref()?)?;
        let version = service.version.clone()?;
        let name = match name {
            "database" if matches!(service.kind.as_str(), "mysql" | "mariadb") => "mariadb",
            "database" => "mysql",
            "rabbitmq" => "rabbitmq",
            "redis" => "redis",
            "redis-session" => "redis-session",
            "elasticsearch" => "elasticsearch",
            _ => "opensearch",
        };
        Some(Deployed {
            name,
            relationship,
            service,
            version,
        })
    }

    /// The ece-tools release composer.lock locks, with the bundled facts of it.
    pub fn ece_tools_release(&self) -> Option<(LockedPackage, &'static Release)> {
        let locked = self.locked(ECE_TOOLS)?;
        let release = release(&locked.version)?;
        Some((locked, release))
    }
}

/// How a message names a service: ``MariaDB 10.4 (service `mysql`, type `mysql:10.4`)``.
pub fn describe(deployed: &Deployed<'_>) -> String {
    let name = match deployed.name {
        "mariadb" => "MariaDB",
        "mysql" => "MySQL",
        "redis" => "Redis",
        "redis-session" => "Redis (sessions)",
        "elasticsearch" => "Elasticsearch",
        "opensearch" => "OpenSearch",
        "rabbitmq" => "RabbitMQ",
        other => other,
    };
    format!(
        "{name} {} (service `{}`, type `{}`)",
        deployed.version, deployed.service.name, deployed.service.type_text
    )
}

/// Whether ece-tools runs on a project, from its `.magento.app.yaml` (`app_yaml`), its
/// composer.lock and whether it has a .magento.env.yaml. Cloud runs what the application's
/// hooks say (`php ./vendor/bin/ece-tools run scenario/deploy.xml`, ...) and nothing else, and
/// vendor/bin/ece-tools exists only when composer.lock locks magento/ece-tools; so both must
/// hold. A project whose hooks do not name ece-tools never runs its validators, whatever
/// composer.lock holds (a hook calling a script of its own is not followed: nothing shows
/// ece-tools runs); hooks naming it with a lock that lacks it stop before any validator.
/// Without `.magento.app.yaml` among the files read the hooks are unknown: then the locked
/// magento/ece-tools decides, and without composer.lock a .magento.env.yaml (a file only
/// ece-tools reads, so written for it) stands for both.
pub fn ece_tools_runs(
    app_yaml: Option<&Node>,
    composer_lock: Option<(FileId, &Node)>,
    has_env_yaml: bool,
) -> bool {
    let locked = composer_lock.map(|(id, root)| {
        crate::model::composer_lock::locked_package(id, root, ECE_TOOLS).is_some()
    });
    match app_yaml {
        Some(app) => hooks_run_ece_tools(app) && locked != Some(false),
        None => locked.unwrap_or(has_env_yaml),
    }
}

/// Whether a hook of a `.magento.app.yaml` (`root`) runs ece-tools: `build`, `deploy` or
/// `post_deploy` names it.
pub fn hooks_run_ece_tools(root: &Node) -> bool {
    let Some(hooks) = root.get("hooks") else {
        return false;
    };
    ["build", "deploy", "post_deploy"].iter().any(|hook| {
        hooks
            .get(hook)
            .and_then(|h| h.value.as_str())
            .is_some_and(|text| text.contains("ece-tools"))
    })
}

/// Every Cloud project of the fleet on which ece-tools runs and whose findings are wanted:
/// each installation in focus with a .magento.env.yaml or a .magento.app.yaml, and each
/// .magento.env.yaml beside no installation (its findings are only kept when it is asked
/// about).
pub fn cloud_projects<'a>(fleet: &'a Fleet<'a>) -> Vec<Project<'a>> {
    let mut owned = std::collections::HashSet::new();
    let mut found = Vec::new();
    for (index, installation) in fleet.installations.iter().enumerate() {
        owned.extend(installation.env_yaml);
        if !fleet.in_focus(index)
            || (installation.env_yaml.is_none() && installation.app_yaml.is_none())
        {
            continue;
        }
        let project = Project::of(fleet, installation);
        if project.runs_ece_tools() {
            found.push(project);
        }
    }
    let files = fleet.files;
    for (file, source) in files.iter().enumerate() {
        if source.source.kind != FileKind::MagentoEnvYaml || owned.contains(&file) {
            continue;
        }
        if let Some(facts) = &source.facts {
            found.push(Project::env_yaml_alone((file, &facts.root)));
        }
    }
    found
}

/// A JSON Pointer token (`~` and `/` escaped).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Whether every release of PHP `minor` (`8.3`: 8.3.0 to 8.3.99) satisfies `constraint`:
/// `Some(true)` when all do, `Some(false)` when none does, `None` when some do (the running
/// patch release decides) or either cannot be read. Cloud images run a patch release of the
/// minor version `.magento.app.yaml` names, never a chosen one.
pub fn minor_satisfies(minor: &str, constraint: &crate::semver::Constraint) -> Option<bool> {
    let (major, minor) = crate::semver::Version::parse(minor)?.minor();
    let mut all = true;
    let mut any = false;
    for patch in 0..100 {
        let version = crate::semver::Version::parse(&format!("{major}.{minor}.{patch}"))?;
        let matched = constraint.matches(&version);
        all &= matched;
        any |= matched;
    }
    match (all, any) {
        (true, _) => Some(true),
        (false, false) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semver::Constraint;

    #[test]
    fn a_minor_php_satisfies_all_none_or_some() {
        let c = |t: &str| Constraint::parse(t).expect(t);
        assert_eq!(minor_satisfies("8.1", &c("~7.4.0||~8.1.0")), Some(true));
        assert_eq!(minor_satisfies("8.2", &c("~7.4.0||~8.1.0")), Some(false));
        assert_eq!(minor_satisfies("7.1", &c(">=7.1.3")), None);
        assert_eq!(minor_satisfies("8.1", &c("^7.4 || ^8.0")), Some(true));
        assert_eq!(minor_satisfies("8.x", &c("^8.0")), None);
    }

    #[test]
    fn ece_tools_runs_when_the_hooks_name_it_and_the_lock_has_it() {
        use crate::syntax::{json, yaml, Limits};
        let app = |text: &str| yaml::parse(text, &Limits::default()).expect("yaml").root;
        let lock = |text: &str| json::parse(text, &Limits::default()).expect("json").root;
        let calls = app("hooks:\n  deploy: php ./vendor/bin/ece-tools run scenario/deploy.xml\n");
        let post_only = app("hooks:\n  post_deploy: php ./vendor/bin/ece-tools post-deploy\n");
        let custom = app("hooks:\n  build: php ./bin/magento setup:di:compile\n");
        let none = app("name: app\n");
        let with = lock(r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.1.17"}]}"#);
        let without =
            lock(r#"{"packages": [{"name": "magento/magento2-base", "version": "2.4.7"}]}"#);
        let (with, without) = (Some((1, &with)), Some((1, &without)));
        assert!(ece_tools_runs(Some(&calls), with, false));
        assert!(ece_tools_runs(Some(&calls), None, false));
        assert!(ece_tools_runs(Some(&post_only), with, false));
        assert!(!ece_tools_runs(Some(&calls), without, true));
        assert!(!ece_tools_runs(Some(&custom), with, true));
        assert!(!ece_tools_runs(Some(&none), with, true));
        // Without .magento.app.yaml: the lock, else a .magento.env.yaml.
        assert!(ece_tools_runs(None, with, false));
        assert!(!ece_tools_runs(None, without, true));
        assert!(ece_tools_runs(None, None, true));
        assert!(!ece_tools_runs(None, None, false));
    }
}
