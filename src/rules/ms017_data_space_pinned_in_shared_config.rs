use super::Rule;
use crate::config::DataSpaceKind;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{paths, Fleet, Installation};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a data space id (`services_connector/services_id/environment_id`) written where
    /// every environment of the installation reads it: under `system/default` in
    /// `app/etc/config.php`, or as the variable
    /// `CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID` in the `variables.env`
    /// of an Adobe Commerce on Cloud `.magento.app.yaml`. Error when the data space is
    /// Production, warning otherwise. Keys written in config.php are MS008's (clear text) and
    /// MS009's (encrypted) findings, not repeated here.
    ///
    /// ## Why it matters
    /// config.php is committed and shared: staging, UAT and every developer copy deploy the
    /// same data space id as production, so they all feed production's data space and
    /// overwrite its catalog ("production product data could be mistakenly overwritten from
    /// staging data"; cleanup needs Adobe Support). This is the usual way it happens:
    /// `bin/magento app:config:dump` on production writes the database's Services settings
    /// into config.php (none of them is marked sensitive or environment-specific), and the file
    /// is committed. `.magento.app.yaml` is the same on Cloud: it is committed, and its
    /// `variables.env` are set on every environment the branch deploys to (Production,
    /// Staging, each integration branch).
    ///
    /// ## Example
    /// `app/etc/config.php` after `app:config:dump`:
    /// ```php
    /// 'services_connector' => [
    ///     'services_id' => [
    ///         'environment_id' => '8eb8e3be-728d-4dea-8875-000000000001',
    ///     ],
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Remove the value from config.php or `.magento.app.yaml` and set it per environment: in
    /// each server's `app/etc/env.php` (`bin/magento config:set --lock-env …`), or as a
    /// `CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID` environment variable
    /// of that environment only (on Cloud: an environment-level variable,
    /// `magento-cloud variable:create --level environment …`, not `.magento.app.yaml`).
    ///
    /// ## Source
    /// - Magento 2 source, `Reader.php` (includes config.php then env.php, merges them, env.php wins; a file that returns no array is "Invalid configuration file"): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/DeploymentConfig/Reader.php>
    /// - Adobe Commerce Configuration guide, "Export configuration settings" (config.php goes into source control, env.php does not): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/export-configuration>
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/di.xml`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector> and `magento/module-services-id` 3.2 `etc/di.xml`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id> (no sensitive or environment-specific paths)
    /// - Adobe Commerce on Cloud guide, "Variables property" (`variables.env` of `.magento.app.yaml`, `CONFIG__…` variables): <https://experienceleague.adobe.com/docs/commerce-cloud-service/user-guide/configure/app/properties/variables-property.html>; "Configure application deployment" (`.magento.app.yaml` is kept in the Git repository): <https://experienceleague.adobe.com/docs/commerce-cloud-service/user-guide/configure/app/configure-app-yaml.html>; "Environment variables" (variables are inherited from the parent environment unless overridden): <https://experienceleague.adobe.com/docs/commerce-cloud-service/user-guide/configure/env/stage/variables-intro.html>
    /// - Adobe Commerce Configuration guide, "Override configuration settings" (`CONFIG__` variable names): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/paths/override-config-settings>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas>
    pub struct DataSpacePinnedInSharedConfig;
    code: "MS017", name: "data-space-pinned-in-shared-config", severity: Error,
    about_repository: true
}

impl Rule for DataSpacePinnedInSharedConfig {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let check = |installation: &Installation, out: &mut Vec<Diagnostic>| {
            check_installation(fleet, installation, out)
        };
        super::each_in_parallel(&fleet.focused_installations(), |i, out| check(i, out), out);
    }
}

fn check_installation(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    if let Some((id, location)) = in_config_php(fleet, installation) {
        out.push(pinned(fleet, installation, "config.php", &id, location));
    }
    if let Some((id, location)) = in_app_yaml(fleet, installation) {
        out.push(pinned(
            fleet,
            installation,
            ".magento.app.yaml",
            &id,
            location,
        ));
    }
}

/// The data space id under `system/default` of config.php, as resolve found it.
fn in_config_php(fleet: &Fleet<'_>, installation: &Installation) -> Option<(String, Location)> {
    let file = installation.config_php?;
    let defaults = (*fleet.system_defaults.get(file)?)?;
    let node = defaults.path(paths::ENVIRONMENT_ID)?;
    let location = Location::new(file, node.span)
        .with_pointer(format!("/system/default/{}", paths::ENVIRONMENT_ID));
    Some((known_text(node)?, location))
}

/// The data space id of a `CONFIG__DEFAULT__…ENVIRONMENT_ID` variable in `.magento.app.yaml`
/// `variables.env` (the last one wins, as in the environment).
fn in_app_yaml(fleet: &Fleet<'_>, installation: &Installation) -> Option<(String, Location)> {
    let file = installation.app_yaml?;
    let variable = installation
        .config_variables
        .iter()
        .rev()
        // Not the environment files' variables: each deployment has its own.
        .filter(|v| v.location.file == file)
        .find(|v| v.overrides(paths::DEFAULT_ENVIRONMENT_ID))?;
    let root = &fleet.files.get(file)?.facts.as_ref()?.root;
    let node = root.get("variables")?.get("env")?.get(&variable.name)?;
    let mut location = Location::new(file, node.span);
    if let Some(pointer) = &variable.location.pointer {
        location = location.with_pointer(pointer.clone());
    }
    Some((known_text(node)?, location))
}

/// A known, non-empty scalar; dynamic values are never judged.
fn known_text(node: &Node) -> Option<String> {
    let text = match &node.value {
        Value::Array { .. } | Value::Dynamic(_) => None,
        value => value.scalar_text(),
    }?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The finding for data space `id` pinned in `file_name`: an error for a Production data
/// space, a warning otherwise, related to the evidence of its type.
fn pinned(
    fleet: &Fleet<'_>,
    installation: &Installation,
    file_name: &str,
    id: &str,
    location: Location,
) -> Diagnostic {
    let kind = fleet.data_space_kind(id);
    let production = kind.is_some_and(|k| k.kind == DataSpaceKind::Production);
    let described = kind.map_or("data space", |k| match k.kind {
        DataSpaceKind::Production => "Production data space",
        DataSpaceKind::Testing => "Testing data space",
    });
    let help = if file_name == "config.php" {
        "set it per environment instead: in each server's app/etc/env.php (config:set --lock-env) or a CONFIG__DEFAULT__… variable"
    } else {
        "set it per environment instead: an environment-level variable of the Cloud environment that uses this data space, not .magento.app.yaml"
    };
    let mut diagnostic = Diagnostic::new(
        DataSpacePinnedInSharedConfig::RULE,
        location.clone(),
        format!(
            "{file_name} pins {described} {id} for every environment of {}",
            installation.name
        ),
    )
    .severity(if production {
        Severity::Error
    } else {
        Severity::Warning
    })
    .help(help);
    if let Some(kind) = kind {
        if kind.location != location {
            diagnostic = diagnostic.related(
                kind.location.clone(),
                format!(
                    "the data space is {}: {}",
                    kind.kind.describe(),
                    kind.reason(fleet)
                ),
            );
        }
    }
    diagnostic
}
