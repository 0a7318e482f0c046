use super::Rule;
use crate::config::DataSpaceKind;
use crate::diagnostic::{mask_secret, Diagnostic, Location, Severity};
use crate::model::{paths, Fleet, Installation};
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags a data space id (`services_connector/services_id/environment_id`) or a Services
    /// API/private key written under `system/default` in `app/etc/config.php`, the file every
    /// environment of the installation deploys. Error when the data space is Production,
    /// warning otherwise.
    ///
    /// ## Why it matters
    /// config.php is committed and shared: staging, UAT and every developer copy deploy the
    /// same data space id and keys as production, so they all feed production's data space and
    /// overwrite its catalog ("production product data could be mistakenly overwritten from
    /// staging data"; cleanup needs Adobe Support). This is the usual way it happens:
    /// `bin/magento app:config:dump` on production writes the database's Services settings
    /// into config.php (none of them is marked sensitive or environment-specific), and the file
    /// is committed.
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
    /// Remove the values from config.php and set them per environment: in each server's
    /// `app/etc/env.php` (`bin/magento config:set --lock-env …`) or as a `CONFIG__DEFAULT__…`
    /// environment variable (e.g. `CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID`).
    ///
    /// ## Source
    /// - Magento 2 source, `Reader.php` (includes config.php then env.php, merges them, env.php wins; a file that returns no array is "Invalid configuration file"): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/DeploymentConfig/Reader.php>
    /// - Adobe Commerce Configuration guide, "Export configuration settings" (config.php goes into source control, env.php does not): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/export-configuration>
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/di.xml`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector> and `magento/module-services-id` 3.2 `etc/di.xml`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id> (no sensitive or environment-specific paths)
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
    let Some(file) = installation.config_php else {
        return;
    };
    // `system/default` of config.php, as resolve found it.
    let Some(defaults) = fleet.system_defaults.get(file).copied().flatten() else {
        return;
    };
    // A known, non-empty scalar with its location; dynamic values are never judged.
    let pinned = |path: &str| {
        let node = defaults.path(path)?;
        let text = match &node.value {
            Value::Array { .. } | Value::Dynamic(_) => None,
            value => value.scalar_text(),
        }?;
        let location =
            Location::new(file, node.span).with_pointer(format!("/system/default/{path}"));
        Some((text.trim().to_string(), location)).filter(|(t, _)| !t.is_empty())
    };
    // Put in words only for a finding (most installations have none).
    let everyone = || format!("every environment of {}", installation.name);
    let help = "set it per environment instead: in each server's app/etc/env.php (config:set --lock-env) or a CONFIG__DEFAULT__… variable";
    let mut severity = Severity::Warning;
    let mut data_space = None;
    if let Some((id, location)) = pinned(paths::ENVIRONMENT_ID) {
        let kind = fleet.data_space_kind(&id);
        let production = kind.filter(|k| k.kind == DataSpaceKind::Production);
        if production.is_some() {
            severity = Severity::Error;
        }
        let described = kind.map_or("data space", |k| match k.kind {
            DataSpaceKind::Production => "Production data space",
            DataSpaceKind::Testing => "Testing data space",
        });
        let mut diagnostic = Diagnostic::new(
            DataSpacePinnedInSharedConfig::RULE,
            location.clone(),
            format!("config.php pins {described} {id} for {}", everyone()),
        )
        .severity(severity)
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
        out.push(diagnostic);
        data_space = Some((format!("{described} {id}"), location));
    }
    for environment in ["production", "sandbox"] {
        for (kind, label) in [("api_key", "API key"), ("private_key", "private key")] {
            // `paths::key` without building it (asked for every installation).
            let path = paths::default_key(environment, kind);
            let Some((key, location)) = pinned(path.strip_prefix("default/").unwrap_or(&path))
            else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                DataSpacePinnedInSharedConfig::RULE,
                location,
                format!(
                    "config.php holds the {environment} {label} `{}` for {}",
                    mask_secret(&key),
                    everyone()
                ),
            )
            .severity(severity)
            .help(help);
            if let Some((space, at)) = &data_space {
                diagnostic = diagnostic.related(
                    at.clone(),
                    format!("with it every environment connects to {space}"),
                );
            }
            out.push(diagnostic);
        }
    }
}
