use super::Rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::env_yaml::{cloud_projects, isset_path, CloudProject};
use crate::model::Fleet;

/// The variable Magento 2.4 no longer reads (Braintree moved to its own module).
const CHANNEL: &str = "CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL";

declare_rule! {
    /// ## What it does
    /// Flags `CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL` in the `variables.env` of
    /// `.magento.app.yaml` on Magento 2.4.0 and later (the version is read from composer.lock's
    /// `magento/magento2-base`, or `DEPLOYED_MAGENTO_VERSION_FROM_GIT`).
    ///
    /// ## Why it matters
    /// Magento 2.4 replaced its bundled Braintree module with the PayPal one, which has no such
    /// setting. ece-tools refuses the variable while validating the build and stops it with
    /// error 26 (`BUILD_WRONG_BRAINTREE_VARIABLE`).
    ///
    /// ## Example
    /// ```yaml
    /// variables:
    ///   env:
    ///     CONFIG__STORES__DEFAULT__PAYMENT__BRAINTREE__CHANNEL: Magento_Enterprise_Cloud
    /// ```
    ///
    /// ## Fix
    /// Delete the variable.
    ///
    /// ## Source
    /// - ece-tools, `Build/MagentoAppYaml.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/MagentoAppYaml.php>
    /// - ece-tools, `config/schema.error.yaml` (error 26): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud, "Error messages for ECE-Tools": <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/dev-tools/ece-tools/error-reference>
    pub struct BraintreeChannelVariable;
    code: "EC016", name: "braintree-channel-variable", severity: Error,
    ece_tools: [26]
}

impl Rule for BraintreeChannelVariable {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

fn check(project: &CloudProject<'_>, out: &mut Vec<Diagnostic>) {
    let Some((file, app)) = project.app_yaml() else {
        return;
    };
    if isset_path(app, &["variables", "env", CHANNEL]).is_none() {
        return;
    }
    let Some(version) = project.magento_version() else {
        return;
    };
    if !version.version.satisfies_at_least("2.4.0") {
        return;
    }
    let Some(entry) = app.path_entry(&format!("variables/env/{CHANNEL}")) else {
        return;
    };
    let span = entry.key_span.get().unwrap_or(entry.value.span);
    out.push(
        Diagnostic::new(
            BraintreeChannelVariable::RULE,
            Location::new(file, span).with_pointer(format!("/variables/env/{CHANNEL}")),
            format!(
                "{CHANNEL} is not read by Magento {} (Braintree is the PayPal module since 2.4): {} stops the build",
                version.version.text,
                cite(26)
            ),
        )
        .related(
            version.location.clone(),
            format!("Magento {} ({})", version.version.text, version.from),
        )
        .help("delete the variable"),
    );
}
