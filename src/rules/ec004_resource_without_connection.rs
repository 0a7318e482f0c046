use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{isset, written_in, Merge};
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags an entry of `RESOURCE_CONFIGURATION` in the `deploy` stage of `.magento.env.yaml`
    /// that does not name its database `connection`.
    ///
    /// ## Why it matters
    /// Each resource maps a Magento resource name to a database connection; ece-tools checks
    /// that every one names it and stops the deploy with error 112
    /// (`DEPLOY_WRONG_CONFIGURATION_RESOURCE`). `checkout` and `sales` (the split-database
    /// resources) are left to ece-tools and not checked. With `_merge: true`,
    /// `default_setup` keeps the `default` connection ece-tools generates unless you clear it.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     RESOURCE_CONFIGURATION:
    ///       default_setup: {}
    /// ```
    ///
    /// ## Fix
    /// Give each entry its connection, e.g. `default_setup: {connection: default}`.
    ///
    /// ## Source
    /// - ece-tools, `ResourceConfiguration.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ResourceConfiguration.php>
    /// - ece-tools, `ResourceConfig.php` (which entries it keeps, and the merge): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Database/ResourceConfig.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`RESOURCE_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct ResourceWithoutConnection;
    code: "EC004", name: "resource-without-connection", severity: Error,
    ece_tools: [112]
}

/// The split-database resources ece-tools drops from the variable before the check.
const SPLIT_RESOURCES: [&str; 2] = ["checkout", "sales"];

impl Rule for ResourceWithoutConnection {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let Some(written) = written_in(&file.document.root, "deploy", "RESOURCE_CONFIGURATION")
        else {
            return;
        };
        let Some(config) = Merge::of(written.value()) else {
            return;
        };
        let merged = config.is_merge_required();
        let mut missing = Vec::new();
        for entry in config.options() {
            let split = SPLIT_RESOURCES.iter().any(|s| entry.key.matches(s));
            if split && entry.value.value != Value::Null {
                continue;
            }
            if isset(&entry.value, "connection").is_some() {
                continue;
            }
            // Merged over the generated `default_setup: {connection: default}`: an array that
            // does not write `connection` keeps it.
            let keeps_generated = merged
                && entry.key.matches("default_setup")
                && matches!(entry.value.value, Value::Array { .. })
                && entry.value.get("connection").is_none();
            if !keeps_generated {
                missing.push(entry);
            }
        }
        let Some(first) = missing.first() else {
            return;
        };
        let names: Vec<String> = missing.iter().map(|e| format!("`{}`", e.key)).collect();
        let key = first.key.to_string();
        out.push(
            Diagnostic::new(
                Self::RULE,
                written.option_location(file.id, &[&key]),
                format!(
                    "RESOURCE_CONFIGURATION names no `connection` for {}: {} stops the deploy",
                    names.join(", "),
                    cite(112)
                ),
            )
            .help("give each resource its database connection, e.g. `default_setup: {connection: default}`"),
        );
    }
}
