use super::Rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{key_text, ConfigVariableScope, Fleet, Installation, ScopeKind};
use std::borrow::Cow;

declare_rule! {
    /// ## What it does
    /// Flags a `system/websites/<code>` or `system/stores/<code>` section of an env file or
    /// config.php, or a `CONFIG__WEBSITES__<CODE>__…` / `CONFIG__STORES__<CODE>__…` variable,
    /// whose code is not defined in the installation's config.php `scopes`.
    ///
    /// ## Why it matters
    /// Magento files scope values by website or store view code; a value under a code that does
    /// not exist is never read. It is usually a typo, a code renamed since, or a file copied from
    /// another installation, and the setting you meant to change keeps its old value.
    ///
    /// ## Example
    /// config.php defines the websites `admin` and `base`; env.php has
    /// ```php
    /// 'system' => ['websites' => ['main' => ['web' => ['secure' => ['base_url' => '…']]]]],
    /// ```
    ///
    /// ## Fix
    /// Use a code defined in config.php `scopes` (Stores > All Stores lists them), or delete the
    /// section if the website or store view is gone.
    ///
    /// ## Source
    /// - Adobe Commerce Configuration guide, "config.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-configphp>
    /// - Adobe Commerce Configuration guide, "Export configuration settings" (config.php goes into source control, env.php does not): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/export-configuration>
    /// - Adobe Commerce Configuration guide, "Override configuration settings" (`CONFIG__` variable names): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/paths/override-config-settings>
    /// - Magento 2 source, `EnvironmentConfigSource.php`: <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Config/App/Config/Source/EnvironmentConfigSource.php>
    pub struct UnknownScopeCode;
    code: "MG006", name: "unknown-scope-code", severity: Warning
}

impl Rule for UnknownScopeCode {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let check = |installation: &Installation, out: &mut Vec<Diagnostic>| {
            if installation.has_scopes {
                for kind in [ScopeKind::Website, ScopeKind::Store] {
                    check_kind(fleet, installation, kind, out);
                }
            }
        };
        super::each_in_parallel(&fleet.focused_installations(), |i, out| check(i, out), out);
    }
}

fn check_kind(
    fleet: &Fleet<'_>,
    installation: &Installation,
    kind: ScopeKind,
    out: &mut Vec<Diagnostic>,
) {
    let section = kind.section();
    let root = |id: usize| {
        fleet
            .files
            .get(id)
            .and_then(|f| f.facts.as_ref())
            .map(|d| &d.root)
    };
    let Some(config_php) = installation.config_php else {
        return;
    };
    // Only a scopes section that lists this kind can tell an unknown code.
    let Some(scopes) = root(config_php).and_then(|r| r.get("scopes")?.entry(section)) else {
        return;
    };
    let scopes_location = Location::new(
        config_php,
        scopes.key_span.get().unwrap_or(scopes.value.span),
    );
    let defined: Vec<Cow<'_, str>> = scopes
        .value
        .value
        .entries()
        .iter()
        .map(|e| key_text(&e.key))
        .collect();
    // Put in words only for a finding (most installations have none).
    let listing = || {
        if defined.is_empty() {
            "none".to_string()
        } else {
            defined.join(", ")
        }
    };
    let report = |location: Location, code: &str, where_: String, out: &mut Vec<Diagnostic>| {
        out.push(
            Diagnostic::new(
                UnknownScopeCode::RULE,
                location,
                format!(
                    "{} `{code}` {where_} is not defined in config.php scopes",
                    kind.noun()
                ),
            )
            .related(
                scopes_location.clone(),
                format!("config.php defines the {section}: {}", listing()),
            )
            .help(format!(
                "use one of the defined {} or delete this section",
                kind.noun().replace("code", "codes")
            )),
        );
    };
    for file in std::iter::once(config_php).chain(installation.env_files.iter().copied()) {
        let Some(node) = root(file).and_then(|r| r.get("system")?.get(section)) else {
            continue;
        };
        for entry in node.value.entries() {
            let code = key_text(&entry.key);
            if defined.contains(&code) {
                continue;
            }
            let location = Location::new(file, entry.key_span.get().unwrap_or(entry.value.span))
                .with_pointer(format!("/system/{section}/{code}"));
            report(location, &code, format!("under system/{section}"), out);
        }
    }
    // The defined codes lower-cased, once, if a variable of this kind needs them.
    let mut lowered: Option<Vec<String>> = None;
    for variable in &installation.config_variables {
        let code = match (&variable.scope, kind) {
            (ConfigVariableScope::Websites(code), ScopeKind::Website) => code,
            (ConfigVariableScope::Stores(code), ScopeKind::Store) => code,
            _ => continue,
        };
        // Empty, numeric and upper-case-only codes are MG005's: the variable cannot work at all.
        let unreachable = code.is_empty() || code.chars().all(|c| c.is_ascii_digit());
        if unreachable {
            continue;
        }
        let lowered =
            lowered.get_or_insert_with(|| defined.iter().map(|d| d.to_lowercase()).collect());
        if lowered.iter().any(|d| d == code) {
            continue;
        }
        report(
            variable.location.clone(),
            code,
            format!("of `{}`", variable.name),
            out,
        );
    }
}
