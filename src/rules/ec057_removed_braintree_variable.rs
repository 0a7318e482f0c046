use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::Fleet;
use crate::syntax::Value;

/// The variable Magento 2.2 and 2.3 projects set for the bundled Braintree module.
const BRAINTREE_CHANNEL: &str = "CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL";

declare_rule! {
    /// ## What it does
    /// Flags `CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL` in `.magento.app.yaml`
    /// `variables.env` when composer.lock locks Magento 2.4.0 or later: ece-tools stops the
    /// build (ece-tools 26 BUILD_WRONG_BRAINTREE_VARIABLE). When the build hook of
    /// `.magento.app.yaml` does not run ece-tools but the deploy hook does, the deploy stops
    /// instead, on the same variable read from the environment (ece-tools 133
    /// DEPLOY_WRONG_BRAINTREE_VARIABLE; there an empty value or `0` is not set).
    ///
    /// ## Why it matters
    /// Adobe's `.magento.app.yaml` for Magento 2.2 and 2.3 set this variable for the Braintree
    /// module Magento then bundled; 2.4.0 removed the module, and ece-tools refuses the
    /// variable so that a project upgraded to 2.4 does not keep configuring a payment method
    /// that no longer exists. It is a critical error: the build stops.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.6; `.magento.app.yaml` still has
    /// ```yaml
    /// variables:
    ///     env:
    ///         CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL: 'Magento_Enterprise_Cloud_BT'
    /// ```
    ///
    /// ## Fix
    /// Remove the variable from `variables.env`; for Braintree on 2.4, install the official
    /// extension from the Commerce Marketplace and configure it there.
    ///
    /// ## Source
    /// - ece-tools, `Build/MagentoAppYaml.php` (Magento `>= 2.4.0` and the variable in `.magento.app.yaml`: 26): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/MagentoAppYaml.php>
    /// - ece-tools, `Deploy/EnvironmentVariables.php` (the variable in the environment at deploy: 133): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/EnvironmentVariables.php>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Variables property" (the variable is required for 2.2.x to 2.3.x only): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/variables-property>
    pub struct RemovedBraintreeVariable;
    code: "EC057", name: "removed-braintree-variable", severity: Error, ece_tools: [26, 133]
}

impl Rule for RemovedBraintreeVariable {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some((app_file, root)) = project.app_yaml else {
        return;
    };
    // `isset`: a null value is not set.
    let Some(entry) = root
        .get("variables")
        .and_then(|v| v.get("env"))
        .and_then(|env| env.entry(BRAINTREE_CHANNEL))
        .filter(|e| !matches!(e.value.value, Value::Null))
    else {
        return;
    };
    let Some(magento) = project.magento() else {
        return;
    };
    if !magento.version.satisfies(">= 2.4.0") {
        return;
    }
    // Which stage meets it first: the build's validator, unless only the deploy hook runs
    // ece-tools (the deploy reads the environment, where an empty text or `0` is not set).
    let (stage, code) = match stage_running_ece_tools(root) {
        Stage::Deploy
            if !entry
                .value
                .value
                .scalar_text()
                .is_some_and(|t| !t.is_empty() && t != "0") =>
        {
            return
        }
        Stage::Deploy => ("deploy", 133),
        Stage::Build => ("build", 26),
    };
    let span = entry.key_span.get().unwrap_or(entry.value.span);
    out.push(
        Diagnostic::new(
            RemovedBraintreeVariable::RULE,
            Location::new(app_file, span).with_pointer(format!("/variables/env/{BRAINTREE_CHANNEL}")),
            format!(
                "{BRAINTREE_CHANNEL} configures the Braintree module Magento {} no longer has: the {stage} stops ({})",
                magento.version,
                cite(code)
            ),
        )
        .related(
            magento.location.clone(),
            magento.source(),
        )
        .help("remove the variable from variables.env; for Braintree, use the official extension from the Commerce Marketplace"),
    );
}

/// The first stage whose ece-tools validators read the variable.
enum Stage {
    Build,
    Deploy,
}

/// The deploy when the hooks are written and only the deploy hook runs ece-tools; else the
/// build (the standard hooks, or ece-tools run some other way).
fn stage_running_ece_tools(app: &crate::syntax::Node) -> Stage {
    let runs = |hook: &str| {
        app.get("hooks")
            .and_then(|h| h.get(hook))
            .and_then(|h| h.value.as_str())
            .map(|text| text.contains("ece-tools"))
    };
    match (runs("build"), runs("deploy")) {
        (Some(false) | None, Some(true)) => Stage::Deploy,
        _ => Stage::Build,
    }
}
