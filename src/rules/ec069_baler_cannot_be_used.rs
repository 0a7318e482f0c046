use super::Rule;
use crate::cloud::scd::{truthy_in, Verdict};
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::facts::is_truthy;
use crate::model::Fleet;
use crate::syntax::{Node, Span};

/// The JavaScript settings Baler bundling needs off in config.php (`dev/js/...`): each must be
/// written, and false.
const MUST_BE_OFF: [&str; 3] = ["minify_files", "enable_js_bundling", "merge_files"];

declare_rule! {
    /// ## What it does
    /// Flags `SCD_USE_BALER` on in the `build` stage of `.magento.env.yaml` when the build
    /// deploys static content but `app/etc/config.php` is not set up for Baler: ece-tools
    /// skips Baler with a warning (ece-tools 1007 WARN_BALER_CANNOT_BE_USED). config.php must
    /// enable the `Magento_Baler` module, set `system/default/dev/js/enable_baler_js_bundling`
    /// on, and set `minify_files`, `enable_js_bundling` and `merge_files` (same path) off —
    /// written, not left to their defaults.
    ///
    /// ## Why it matters
    /// Baler runs after static content is deployed in the build; when ece-tools finds the
    /// configuration wrong it does not bundle, so the storefront ships without the bundles the
    /// variable asks for. (ece-tools also needs the `baler` command in the build container,
    /// which the repository's files cannot show: magelint checks config.php only.)
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   build:
    ///     SCD_USE_BALER: true
    /// ```
    /// with a config.php that does not list `Magento_Baler` among its modules.
    ///
    /// ## Fix
    /// Install and enable the Baler module, then set in config.php `system/default/dev/js`:
    /// `enable_baler_js_bundling` to `1` and `minify_files`, `enable_js_bundling`,
    /// `merge_files` to `0` (`bin/magento config:set --lock-config ...` writes them); or
    /// remove `SCD_USE_BALER`.
    ///
    /// ## Source
    /// - ece-tools, `Build/BalerSupport.php` (the module and the four settings: 1007): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/BalerSupport.php>
    /// - ece-tools, `Step/Build/RunBaler.php` (only with SCD_USE_BALER and static content deployed in the build): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Step/Build/RunBaler.php>
    /// - Adobe Commerce on Cloud, "Build variables" (`SCD_USE_BALER`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-build>
    pub struct BalerCannotBeUsed;
    code: "EC069", name: "baler-cannot-be-used", severity: Warning, ece_tools: [1007]
}

impl Rule for BalerCannotBeUsed {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some(baler) = project
        .stage_value("build", "SCD_USE_BALER")
        .filter(|v| truthy_in("build", &v.node.value))
    else {
        return;
    };
    // Baler runs only after static content is deployed in the build.
    if !matches!(project.scd_on_build(), Verdict::Runs) {
        return;
    }
    let Some((config_file, config)) = project.config_php else {
        return;
    };
    let problems = problems(config);
    if problems.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            BalerCannotBeUsed::RULE,
            baler.location,
            format!(
                "SCD_USE_BALER is on, but the build skips Baler: {} ({})",
                problems.join("; "),
                cite(1007)
            ),
        )
        .related(
            Location::new(config_file, Span::empty_at(config.span.start as usize)),
            "the configuration Baler needs",
        )
        .help("enable Magento_Baler and set system/default/dev/js in config.php: enable_baler_js_bundling 1; minify_files, enable_js_bundling, merge_files 0"),
    );
}

/// What config.php lacks for Baler, in ece-tools' order.
fn problems(config: &Node) -> Vec<String> {
    let mut found = Vec::new();
    let on = |node: Option<&Node>| node.is_some_and(|n| is_truthy(&n.value));
    if !on(config.get("modules").and_then(|m| m.get("Magento_Baler"))) {
        found.push("the Magento_Baler module is not enabled".to_string());
    }
    let js = config
        .get("system")
        .and_then(|s| s.get("default"))
        .and_then(|d| d.get("dev"))
        .and_then(|d| d.get("js"));
    let setting = |name: &str| js.and_then(|js| js.get(name));
    if !on(setting("enable_baler_js_bundling")) {
        found.push("dev/js/enable_baler_js_bundling is not on".to_string());
    }
    for name in MUST_BE_OFF {
        match setting(name) {
            None => found.push(format!("dev/js/{name} is not set (it must be 0)")),
            Some(node) if is_truthy(&node.value) => found.push(format!("dev/js/{name} is on")),
            Some(_) => {}
        }
    }
    found
}
