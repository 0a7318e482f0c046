use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, seen, written_in, Written};
use crate::model::Fleet;
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags a variable in `.magento.env.yaml` that the project's Magento version does not
    /// support: `SCD_STRATEGY`, `SCD_MAX_EXECUTION_TIME` and `CRON_CONSUMERS_RUNNER` before
    /// Magento 2.2, and `GENERATED_CODE_SYMLINK` on any version but 2.1. The version is read
    /// from composer.lock's `magento/magento2-base`, or `DEPLOYED_MAGENTO_VERSION_FROM_GIT`.
    ///
    /// ## Why it matters
    /// ece-tools ignores these variables on those versions and says so: warning 1004
    /// (`WARN_CONFIGURATION_VERSION_MISMATCH`) for the build stage, 2012
    /// (`WARN_CONFIG_NOT_COMPATIBLE`) for the deploy stage. `GENERATED_CODE_SYMLINK` is the
    /// usual one: written on a 2.4 project, it does nothing.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     GENERATED_CODE_SYMLINK: false
    /// ```
    ///
    /// ## Fix
    /// Delete the variable, or upgrade Magento for the ones that need 2.2.
    ///
    /// ## Source
    /// - ece-tools, `Build/AppropriateVersion.php` (1004): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/AppropriateVersion.php>
    /// - ece-tools, `Deploy/AppropriateVersion.php` (2012): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/AppropriateVersion.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`GENERATED_CODE_SYMLINK`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct VariableNotForMagentoVersion;
    code: "EC013", name: "variable-not-for-magento-version", severity: Warning,
    ece_tools: [1004, 2012]
}

impl Rule for VariableNotForMagentoVersion {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(file), Some(root)) = (project.env_file(), project.env_root()) else {
        return;
    };
    let Some(version) = project.magento() else {
        return;
    };
    let v = &version.version;
    let mut found: Vec<(Written<'_>, &str, u16)> = Vec::new();
    if !v.at_least("2.2") {
        // The build reads its own section over `global`, and looks at non-empty values.
        for name in ["SCD_STRATEGY", "SCD_MAX_EXECUTION_TIME"] {
            let written = seen(root, "build", name);
            if let Some(w) = written.filter(|w| is_empty(w.value()) == Some(false)) {
                found.push((w, "is available from Magento 2.2", 1004));
            }
        }
        // The deploy asks whether it is written (not null) in `deploy` or `global`.
        for name in [
            "CRON_CONSUMERS_RUNNER",
            "SCD_STRATEGY",
            "SCD_MAX_EXECUTION_TIME",
        ] {
            found
                .extend(configured(root, name).map(|w| (w, "is available from Magento 2.2", 2012)));
        }
    }
    if !v.in_series(2, 1) {
        found.extend(
            configured(root, "GENERATED_CODE_SYMLINK")
                .map(|w| (w, "is only read by Magento 2.1", 2012)),
        );
    }
    for (written, why, code) in found {
        out.push(
            Diagnostic::new(
                VariableNotForMagentoVersion::RULE,
                written.location(file),
                format!(
                    "{} {why}, and this project deploys Magento {}: ece-tools ignores it ({})",
                    written.name(),
                    v.text,
                    cite(code)
                ),
            )
            .related(
                version.location.clone(),
                format!("Magento {} ({})", v.text, version.from),
            )
            .help("delete the variable"),
        );
    }
}

/// ece-tools' `ConfigurationChecker::isConfigured($name, true)` on the file: written, not
/// null, in `deploy` or else `global`. Variables only allowed in `deploy`
/// (`CRON_CONSUMERS_RUNNER`, `GENERATED_CODE_SYMLINK`) are refused by the schema in `global`,
/// which stops the build first: only `deploy` is read for them.
fn configured<'a>(root: &'a crate::syntax::Node, name: &str) -> Option<Written<'a>> {
    let deploy_only = matches!(name, "CRON_CONSUMERS_RUNNER" | "GENERATED_CODE_SYMLINK");
    let stages: &[&'static str] = if deploy_only {
        &["deploy"]
    } else {
        &["deploy", "global"]
    };
    stages
        .iter()
        .filter_map(|stage| written_in(root, stage, name))
        .find(|w| w.value().value != Value::Null)
}
