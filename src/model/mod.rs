//! resolve: the domain model — installations, sites, tiers, editions, data spaces.
//!
//! An **installation** is a directory holding `app/etc/`. A **site** is one deployment of it:
//! config.php ⊕ one env file ⊕ CONFIG__ variables (from .magento.app.yaml, and from the files
//! setting the site's process environment: docker-compose, Docker env files, nginx), merged like
//! Magento (array_replace_recursive, env wins; CONFIG__ variables win over both). Every fact
//! keeps the location it came from, so a diagnostic can point at it.

pub mod composer_lock;
mod config_vars;
mod data_space;
pub mod env_yaml;
mod environment;
#[cfg(test)]
mod environment_tests;
pub mod footprint;
mod incremental;
mod interpolated;
pub mod key_material;
mod located;
pub mod magento_version;
pub(crate) mod pointer;
mod resolve;
mod scope_code;
#[cfg(test)]
mod setting_tests;
mod shared;
#[cfg(test)]
mod site_plan_tests;
mod spaces;
mod tier;
mod vhost;

pub use crate::config::{DataSpaceKind, EditionKind, TierKind};
pub use crate::facts::is_commerce_module;
pub use config_vars::{
    environment_entries, environments, variable_value, variables_in, ConfigVariable,
    ConfigVariableScope,
};
pub use data_space::{DataSpaceEvidence, DataSpaceFacts, Why};
pub use incremental::ModelCache;
pub use located::setting_location;
pub use pointer::key_text;
pub use resolve::resolve;
pub use scope_code::{code_problem, scope_entries, ScopeEntry, ScopeKind, MAX_CODE_LENGTH};

use crate::diagnostic::{FileId, Location};
use crate::run::SourceFile;
use crate::syntax::{Node, Value};
use compact_str::CompactString;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A fact and where it was established.
#[derive(Clone, Debug)]
pub struct Evidence<T> {
    pub value: T,
    /// Why, in words ("env file variant `staging`").
    pub reason: std::borrow::Cow<'static, str>,
    pub location: Option<Location>,
}

/// Where a setting's value came from, highest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A `CONFIG__…` variable of .magento.app.yaml (every site of the installation reads it).
    ConfigVariable,
    /// A variable of the site's own process environment: a docker-compose file, a Docker env
    /// file or nginx `fastcgi_param` (a `CONFIG__…` variable, or `MAGE_MODE`).
    SiteVariable,
    /// The site's env file.
    EnvFile,
    /// The installation's config.php, shared by every site.
    ConfigPhp,
}

/// One setting as the site sees it after merging.
#[derive(Clone, Debug)]
pub struct Setting<'a> {
    pub node: &'a Node,
    /// Where the value is written (the value's span).
    pub file: FileId,
    /// Where the key is written, when it is.
    pub key_location: Option<Location>,
    pub origin: Origin,
}

impl<'a> Setting<'a> {
    pub fn location(&self) -> Location {
        Location::new(self.file, self.node.span)
    }

    /// The key's location if written, else the value's: where to point "this is set here".
    pub fn anchor(&self) -> Location {
        self.key_location.clone().unwrap_or_else(|| self.location())
    }

    /// A known, non-empty scalar as text (borrowed from the tree when it is a string: asked
    /// for several settings of every site).
    pub fn text(&self) -> Option<std::borrow::Cow<'a, str>> {
        let node: &'a Node = self.node;
        match &node.value {
            Value::Array { .. } | Value::Dynamic(_) | Value::Null => None,
            Value::String(text) => (!text.is_empty()).then(|| text.as_str().into()),
            value => value
                .scalar_text()
                .filter(|s| !s.is_empty())
                .map(Into::into),
        }
    }

    pub fn is_dynamic(&self) -> bool {
        matches!(self.node.value, Value::Dynamic(_))
    }

    /// Set to something: a non-empty scalar or a dynamic value.
    pub fn is_set(&self) -> bool {
        self.is_dynamic() || self.text().is_some()
    }
}

/// A Magento installation: one `app/etc/` directory and the files around it.
#[derive(Clone, Debug)]
pub struct Installation {
    pub root: PathBuf,
    /// The root as printed.
    pub name: String,
    pub config_php: Option<FileId>,
    pub env_files: Vec<FileId>,
    pub app_yaml: Option<FileId>,
    pub composer: Option<FileId>,
    /// composer.lock beside app/.
    pub composer_lock: Option<FileId>,
    /// .magento.env.yaml beside app/.
    pub env_yaml: Option<FileId>,
    /// .magento/services.yaml beside app/.
    pub services_yaml: Option<FileId>,
    /// pub/errors/local.xml under the root.
    pub errors_local_xml: Option<FileId>,
    /// build_options.ini beside app/.
    pub build_options_ini: Option<FileId>,
    pub edition: Evidence<EditionKind>,
    /// Files that set a deployment's process environment (docker-compose, Docker env files,
    /// nginx), in path order; each site reads some of them (`Site::environment`).
    pub environment_files: Vec<FileId>,
    /// Every CONFIG__ variable of the installation's files: .magento.app.yaml `variables.env`,
    /// then the environment files'.
    pub config_variables: Vec<ConfigVariable>,
    /// Website codes defined in config.php `scopes/websites`, with the key's location.
    pub website_codes: Vec<(CompactString, Location)>,
    /// Store view codes defined in config.php `scopes/stores`.
    pub store_codes: Vec<(CompactString, Location)>,
    /// Whether config.php has a `scopes` section (so unknown scope codes can be told).
    pub has_scopes: bool,
}

impl Installation {
    /// Every file of the installation: its own files beside app/, its env files and its
    /// environment files (compose, Docker env files, nginx).
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        [
            self.config_php,
            self.app_yaml,
            self.composer,
            self.composer_lock,
            self.env_yaml,
            self.services_yaml,
            self.errors_local_xml,
            self.build_options_ini,
        ]
        .into_iter()
        .flatten()
        .chain(self.env_files.iter().copied())
        .chain(self.environment_files.iter().copied())
    }
}

/// One deployment of an installation.
#[derive(Clone, Debug)]
pub struct Site {
    pub name: String,
    pub installation: usize,
    pub env_file: Option<FileId>,
    /// The files that set this site's process environment, lowest precedence first.
    pub environment: std::sync::Arc<[FileId]>,
    /// Server blocks of those files (nginx) that are other deployments': the file and the
    /// block's span. Their parameters are not this site's.
    pub excluded: std::sync::Arc<[(FileId, crate::syntax::Span)]>,
    /// The CONFIG__ variables this site reads, lowest precedence first: .magento.app.yaml's,
    /// then its environment files'.
    pub config_variables: std::sync::Arc<[ConfigVariable]>,
    pub tier: Evidence<TierKind>,
    /// Website codes this site writes to its data space (scopes ⊕ system/websites keys).
    /// Shared with the other sites of its installation when none adds a code of its own.
    pub website_codes: SiteCodes,
    /// services_connector/services_id/environment_id, when set.
    pub data_space: Option<DataSpaceRef>,
    /// For a site of another repository (from `--footprint`): that repository's name. Site
    /// rules skip such sites; fleet rules weigh them against the local ones.
    pub foreign: Option<String>,
}

/// A site's website codes, with where each is first written.
pub type SiteCodes = std::sync::Arc<[(CompactString, Location)]>;

/// A site's link to a data space.
#[derive(Clone, Debug)]
pub struct DataSpaceRef {
    pub id: String,
    /// Where the environment_id is written (the value).
    pub location: Location,
    pub origin: Origin,
}

/// Everything the site and fleet rules see.
pub struct Fleet<'a> {
    pub files: &'a [SourceFile],
    pub installations: Vec<Installation>,
    pub sites: Vec<Site>,
    pub data_spaces: BTreeMap<String, DataSpaceFacts>,
    /// Each `.magento.env.yaml` checked against the ece-tools schema its project runs, on first
    /// use (`check::env_yaml`): three rules report from one check.
    pub env_yaml_checks: std::sync::OnceLock<Vec<crate::ece_schema::EnvYamlCheck>>,
    /// Per file, its `system/default` node: where nearly every setting a site rule asks for
    /// is, so each lookup starts there instead of at the root.
    pub system_defaults: Vec<Option<&'a Node>>,
    /// The installations whose findings are wanted, by index (`None`: all). The editor asks
    /// about its open documents only; rules that check installation by installation skip the
    /// others, and collisions are weighed from the wanted side.
    pub focus: Option<Vec<bool>>,
}

impl<'a> Fleet<'a> {
    pub fn installation(&self, site: &Site) -> &Installation {
        &self.installations[site.installation]
    }

    /// Whether installation `index`'s findings are wanted (see `focus`).
    pub fn in_focus(&self, index: usize) -> bool {
        self.focus
            .as_ref()
            .is_none_or(|wanted| wanted.get(index).copied().unwrap_or(false))
    }

    /// The installations whose findings are wanted, in order.
    pub fn focused_installations(&self) -> Vec<&Installation> {
        self.installations
            .iter()
            .enumerate()
            .filter(|(index, _)| self.in_focus(*index))
            .map(|(_, installation)| installation)
            .collect()
    }

    fn document_root(&self, file: Option<FileId>) -> Option<&'a Node> {
        let files: &'a [SourceFile] = self.files;
        files.get(file?)?.facts.as_ref().map(|d| &d.root)
    }

    /// The merged value of a `system` path (`default/magento_saas/environment`), Magento's way:
    /// a CONFIG__ variable, then the env file, then config.php.
    pub fn system_setting(&self, site: &Site, path: &str) -> Option<Setting<'a>> {
        let installation = self.installation(site);
        // The last definition wins, like the environment itself.
        if let Some(variable) = site
            .config_variables
            .iter()
            .rev()
            .find(|v| v.overrides(path))
        {
            let file = variable.location.file;
            let root = self.document_root(Some(file))?;
            let node = variable_value(&self.files[file].source.kind, root, variable)?;
            // `${NAME}` in a compose file: the value the project's `.env` gives NAME, if any.
            let (file, node, key) = interpolated::interpolated(self, site, file, node)
                .unwrap_or_else(|| (file, node, variable.location.clone()));
            return Some(Setting {
                node,
                file,
                key_location: Some(key),
                origin: match installation.app_yaml == Some(file) {
                    true => Origin::ConfigVariable,
                    false => Origin::SiteVariable,
                },
            });
        }
        // Under `system` (no `system/…` string built: this runs for every setting of every site).
        self.system_file_setting(site.env_file, path, Origin::EnvFile)
            .or_else(|| self.system_file_setting(installation.config_php, path, Origin::ConfigPhp))
    }

    /// A top-level deployment setting (`MAGE_MODE`): the site's process environment (Magento's
    /// bootstrap parameters, `$_SERVER`, win over the deployment configuration), then the env
    /// file, then config.php.
    pub fn deployment_setting(&self, site: &Site, path: &str) -> Option<Setting<'a>> {
        let installation = self.installation(site);
        self.environment_setting(site, path)
            .or_else(|| self.file_setting(site.env_file, path, Origin::EnvFile))
            .or_else(|| self.file_setting(installation.config_php, path, Origin::ConfigPhp))
    }

    /// The variable `name` of the site's process environment, the last file setting it winning.
    /// A dynamic value is passed over (for `MAGE_MODE`: Magento's sample nginx configuration
    /// passes `$MAGE_MODE`, set by the server block that includes it, usually to env.php's mode).
    fn environment_setting(&self, site: &Site, name: &str) -> Option<Setting<'a>> {
        site.environment.iter().rev().find_map(|&file| {
            let root = self.document_root(Some(file))?;
            let (pointer, entry) = environment_entries(&self.files[file].source.kind, root)
                .filter(|(_, entry)| entry.key.matches(name))
                .filter(|(_, entry)| {
                    let at = Location::new(file, entry.key_span.get().unwrap_or(entry.value.span));
                    !environment::is_excluded(&site.excluded, &at)
                })
                .last()?;
            let key = Location::new(file, entry.key_span.get().unwrap_or(entry.value.span))
                .with_pointer(pointer);
            let (file, node, key) = interpolated::interpolated(self, site, file, &entry.value)
                .unwrap_or((file, &entry.value, key));
            (!matches!(node.value, Value::Dynamic(_))).then_some(Setting {
                node,
                file,
                key_location: Some(key),
                origin: Origin::SiteVariable,
            })
        })
    }

    fn file_setting(
        &self,
        file: Option<FileId>,
        path: &str,
        origin: Origin,
    ) -> Option<Setting<'a>> {
        let id = file?;
        let root = self.document_root(Some(id))?;
        setting_at(id, root.path_entry(path)?, origin)
    }

    /// `file_setting` of `system/<path>`; a `default/…` path starts at the file's
    /// `system/default` node found by `resolve`.
    fn system_file_setting(
        &self,
        file: Option<FileId>,
        path: &str,
        origin: Origin,
    ) -> Option<Setting<'a>> {
        let id = file?;
        let entry = match path.strip_prefix("default/") {
            Some(rest) => (*self.system_defaults.get(id)?)?.path_entry(rest)?,
            None => self
                .document_root(Some(id))?
                .get("system")?
                .path_entry(path)?,
        };
        setting_at(id, entry, origin)
    }

    /// `magento_saas/environment` of a site (selects the key pair; Magento's default is
    /// `production` when unset).
    pub fn key_environment(&self, site: &Site) -> Option<Setting<'a>> {
        self.system_setting(site, paths::DEFAULT_KEY_ENVIRONMENT)
    }

    /// An API key (`kind` = `api_key`) or private key (`private_key`) of a key environment
    /// (`production` / `sandbox`) as the site sees it.
    pub fn services_key(&self, site: &Site, environment: &str, kind: &str) -> Option<Setting<'a>> {
        self.system_setting(site, &paths::default_key(environment, kind))
    }

    /// The data space type of `id` and the strongest evidence for it.
    pub fn data_space_kind(&self, id: &str) -> Option<&DataSpaceEvidence> {
        self.data_spaces.get(id).and_then(DataSpaceFacts::kind)
    }

    /// Whether `site` reads file `file`: its env file or environment files, or its
    /// installation's config.php, .magento.app.yaml or composer.json.
    pub fn site_reads(&self, site: &Site, file: FileId) -> bool {
        let installation = self.installation(site);
        site.env_file == Some(file)
            || site.environment.contains(&file)
            || [
                installation.config_php,
                installation.app_yaml,
                installation.composer,
            ]
            .contains(&Some(file))
    }

    pub fn display_path(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map_or("?", |f| f.display_path.as_str())
    }

    /// "env.staging.php line 12" style description of a location.
    pub fn describe(&self, location: &Location) -> String {
        let Some(file) = self.files.get(location.file) else {
            return "?".into();
        };
        // From the line index alone: a lean run has cut the text of files without findings.
        let line = file.lines.line_of(location.span.start);
        format!("{}:{}", file.display_path, line)
    }
}

/// The setting an entry of file `id` holds. An array where a scalar is expected is "not this
/// setting" (array_replace_recursive would merge into it), so lower layers are looked at.
fn setting_at(id: FileId, entry: &crate::syntax::Entry, origin: Origin) -> Option<Setting<'_>> {
    if matches!(entry.value.value, Value::Array { .. }) {
        return None;
    }
    Some(Setting {
        node: &entry.value,
        file: id,
        key_location: entry.key_span.get().map(|s| Location::new(id, s)),
        origin,
    })
}

/// Services Connector paths (under `system/<scope>/`).
pub mod paths {
    pub const ENVIRONMENT_ID: &str = "services_connector/services_id/environment_id";
    pub const ENVIRONMENT_TYPE: &str = "services_connector/services_id/environment";
    pub const ENVIRONMENT_NAME: &str = "services_connector/services_id/environment_name";
    pub const PROJECT_ID: &str = "services_connector/services_id/project_id";
    pub const KEY_ENVIRONMENT: &str = "magento_saas/environment";
    /// `default/` + the paths above that every site is asked for (no string built per site).
    pub const DEFAULT_KEY_ENVIRONMENT: &str = "default/magento_saas/environment";
    pub const DEFAULT_ENVIRONMENT_ID: &str =
        "default/services_connector/services_id/environment_id";
    pub const DEFAULT_ENVIRONMENT_TYPE: &str = "default/services_connector/services_id/environment";
    pub const DEFAULT_PROJECT_ID: &str = "default/services_connector/services_id/project_id";
    pub const INTEGRATION: &str = "services_connector/services_connector_integration";
    pub const ALTERNATE_ENABLED: &str =
        "services_connector/product_recommendations/alternate_environment_enabled";

    /// `…/production_api_key` etc. for a key environment and key kind.
    pub fn key(environment: &str, kind: &str) -> String {
        format!("{INTEGRATION}/{environment}_{kind}")
    }

    /// `default/` + `key`: the known ones without building a string (asked for every site).
    pub fn default_key(environment: &str, kind: &str) -> std::borrow::Cow<'static, str> {
        match (environment, kind) {
            ("production", "api_key") => {
                "default/services_connector/services_connector_integration/production_api_key"
            }
            ("production", "private_key") => {
                "default/services_connector/services_connector_integration/production_private_key"
            }
            ("sandbox", "api_key") => {
                "default/services_connector/services_connector_integration/sandbox_api_key"
            }
            ("sandbox", "private_key") => {
                "default/services_connector/services_connector_integration/sandbox_private_key"
            }
            _ => return format!("default/{}", key(environment, kind)).into(),
        }
        .into()
    }

    #[cfg(test)]
    #[test]
    fn the_four_key_paths_are_not_built() {
        for environment in ["production", "sandbox"] {
            for kind in ["api_key", "private_key"] {
                let path = default_key(environment, kind);
                assert_eq!(path, format!("default/{}", key(environment, kind)));
                assert!(
                    matches!(path, std::borrow::Cow::Borrowed(_)),
                    "{environment} {kind}"
                );
            }
        }
        assert_eq!(
            default_key("staging", "api_key"),
            "default/services_connector/services_connector_integration/staging_api_key"
        );
    }

    #[cfg(test)]
    #[test]
    fn default_paths_are_default_slash_path() {
        for (with_default, path) in [
            (DEFAULT_KEY_ENVIRONMENT, KEY_ENVIRONMENT),
            (DEFAULT_ENVIRONMENT_ID, ENVIRONMENT_ID),
            (DEFAULT_ENVIRONMENT_TYPE, ENVIRONMENT_TYPE),
            (DEFAULT_PROJECT_ID, PROJECT_ID),
        ] {
            assert_eq!(with_default, format!("default/{path}"));
        }
    }

    #[cfg(test)]
    #[test]
    fn default_keys_are_default_slash_key() {
        for environment in ["production", "sandbox", "other"] {
            for kind in ["api_key", "private_key", "other"] {
                let built = format!("default/{}", key(environment, kind));
                assert_eq!(default_key(environment, kind), built.as_str());
            }
        }
    }

    /// Whether a path (relative to a scope) belongs to the Services Connector.
    pub fn is_services(path: &str) -> bool {
        path.starts_with("services_connector/")
            || path.starts_with("magento_saas/")
            || path == "services_connector"
            || path == "magento_saas"
    }
}
