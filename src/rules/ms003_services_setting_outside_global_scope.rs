use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::{paths, ConfigVariableScope, Fleet};
use crate::syntax::{push_pointer, Key};

declare_rule! {
    /// ## What it does
    /// Flags a `services_connector/*` or `magento_saas/*` setting written under
    /// `system/websites/<code>` or `system/stores/<code>`, or set by a `CONFIG__WEBSITES__…` /
    /// `CONFIG__STORES__…` variable.
    ///
    /// ## Why it matters
    /// Every Services Connector setting is Global: Magento reads it with
    /// `ScopeConfigInterface::getValue($path)` and no scope, so a value at website or store view
    /// scope is never read. The site keeps using the default-scope value (or none), while the
    /// file suggests otherwise — typically a per-website data space or API key that silently does
    /// nothing.
    ///
    /// ## Example
    /// ```php
    /// 'system' => [
    ///     'websites' => [
    ///         'base' => [
    ///             'services_connector' => [
    ///                 'services_id' => ['environment_id' => '8eb8e3be-728d-4dea-8875-000000000002']
    ///             ]
    ///         ]
    ///     ]
    /// ]
    /// ```
    ///
    /// ## Fix
    /// Move the setting to `system/default/…` (or `CONFIG__DEFAULT__…`). One installation has one
    /// data space and one key pair; websites that need separate data spaces need separate
    /// installations.
    ///
    /// ## Source
    /// - Adobe Commerce Admin configuration reference, "Commerce Services Connector" (every field Global): <https://experienceleague.adobe.com/docs/commerce-admin/config/services/saas.html>
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/Environment.php`, `Model/ClientResolver.php`, `etc/adminhtml/system.xml` (read without a scope; fields `showInWebsite="0" showInStore="0"`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php`; public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    pub struct ServicesSettingOutsideGlobalScope;
    code: "MS003", name: "services-setting-outside-global-scope", severity: Error
}

const HELP: &str = "Services Connector settings are Global: move them under system/default (or CONFIG__DEFAULT__ variables)";

impl Rule for ServicesSettingOutsideGlobalScope {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(
            file.source.kind,
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template
        ) {
            return;
        }
        let Some(system) = file.document.root.get("system") else {
            return;
        };
        for (scope, label) in [("websites", "website"), ("stores", "store view")] {
            let Some(codes) = system.get(scope) else {
                continue;
            };
            for code in codes.value.entries() {
                for section in code.value.value.entries() {
                    let Key::Str(name) = &section.key else {
                        continue;
                    };
                    if !paths::is_services(name) {
                        continue;
                    }
                    let mut pointer = format!("/system/{scope}");
                    push_pointer(&mut pointer, &code.key);
                    push_pointer(&mut pointer, &section.key);
                    let span = section.key_span.get().unwrap_or(section.value.span);
                    out.push(
                        Diagnostic::new(
                            Self::RULE,
                            Location::new(file.id, span).with_pointer(pointer),
                            format!(
                                "`{name}` settings under system/{scope}/{} are never read: Magento reads them at default scope only, not per {label}",
                                code.key
                            ),
                        )
                        .help(HELP),
                    );
                }
            }
        }
    }

    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        for installation in fleet.focused_installations() {
            for variable in &installation.config_variables {
                let (label, code) = match &variable.scope {
                    ConfigVariableScope::Websites(code) => ("website", code),
                    ConfigVariableScope::Stores(code) => ("store view", code),
                    ConfigVariableScope::Default | ConfigVariableScope::Unknown(_) => continue,
                };
                if !paths::is_services(&variable.path) {
                    continue;
                }
                let mut diagnostic = Diagnostic::new(
                    Self::RULE,
                    variable.location.clone(),
                    format!(
                        "{} sets {} for {label} `{code}`, but Magento reads it at default scope only, so it is never applied",
                        variable.name, variable.path
                    ),
                );
                diagnostic = match default_name(&variable.name) {
                    Some(name) => diagnostic.help(format!(
                        "Services Connector settings are Global: name it {name}"
                    )),
                    None => diagnostic.help(HELP),
                };
                out.push(diagnostic);
            }
        }
    }
}

/// `CONFIG__WEBSITES__BASE__X__Y` → `CONFIG__DEFAULT__X__Y`.
fn default_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("CONFIG__")?;
    let mut parts = rest.splitn(3, "__");
    let (_scope, _code, path) = (parts.next()?, parts.next()?, parts.next()?);
    Some(format!("CONFIG__DEFAULT__{path}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_name_drops_the_scope_code() {
        assert_eq!(
            super::default_name("CONFIG__WEBSITES__BASE__MAGENTO_SAAS__ENVIRONMENT").as_deref(),
            Some("CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT")
        );
        assert_eq!(super::default_name("CONFIG__STORES__DE"), None);
    }
}
