use super::Rule;
use crate::cloud::scd::{truthy_in, Reason, Verdict};
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags a Cloud project that is not in ece-tools' "ideal state" and says, once, what keeps
    /// it from it, as ece-tools' build does (ece-tools 1006 WARN_CONFIGURATION_STATE_NOT_IDEAL).
    ///
    /// - static content is not deployed in the build: `SCD_ON_DEMAND` (global) or `SKIP_SCD`
    ///   (build) is on in `.magento.env.yaml`, or `app/etc/config.php` lists no stores or
    ///   websites;
    /// - `.magento.app.yaml` has no `post_deploy` hook running ece-tools;
    /// - `SKIP_HTML_MINIFICATION` (global) is off.
    ///
    /// ## Why it matters
    /// In the ideal state the deploy phase, while the site is in maintenance mode, only
    /// switches to what the build prepared: static content deployed during the build, minified
    /// HTML generated on request, and the cache warmed after the site is up (post-deploy).
    /// Anything else lengthens the downtime of every deploy. ece-tools warns on each build.
    ///
    /// ## Example
    /// `app/etc/config.php` has no `scopes` (the stores were never dumped with
    /// `php ./vendor/bin/ece-tools config:dump`), so the build cannot deploy static content.
    ///
    /// ## Fix
    /// Run `php ./vendor/bin/ece-tools config:dump` on the environment and commit
    /// `app/etc/config.php`; turn off `SCD_ON_DEMAND` and `SKIP_SCD` unless you chose them;
    /// add `post_deploy: php ./vendor/bin/ece-tools run scenario/post-deploy.xml` to `hooks`;
    /// leave `SKIP_HTML_MINIFICATION` on (its default).
    ///
    /// ## Source
    /// - ece-tools, `IdealState.php` (the three checks; warning 1006): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/IdealState.php>
    /// - ece-tools, `GlobalStage/ScdOnBuild.php`, `Build/ConfigFileStructure.php` (static content on build): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/GlobalStage/ScdOnBuild.php>
    /// - ece-tools, `Deploy/PostDeploy.php` and `Application/HookChecker.php` (the `post_deploy` hook must run `…/ece-tools`): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Application/HookChecker.php>
    /// - ece-tools, `GlobalStage/SkipHtmlMinification.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/GlobalStage/SkipHtmlMinification.php>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Static content deployment strategies" (SCD on build with minified HTML is the ideal state; `config:dump`): <https://experienceleague.adobe.com/docs/commerce-cloud-service/user-guide/develop/deploy/static-content.html>
    pub struct ConfiguredStateNotIdeal;
    code: "EC060", name: "configured-state-not-ideal", severity: Warning, ece_tools: [1006]
}

impl Rule for ConfiguredStateNotIdeal {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    if !project.runs_ece_tools() {
        return;
    }
    let Some((app_file, app_root)) = project.app_yaml else {
        return;
    };
    let mut reasons: Vec<Reason> = match project.scd_on_build() {
        Verdict::Skipped(reasons) => reasons,
        Verdict::Runs => Vec::new(),
        // Without config.php the first check cannot be told; ece-tools' one warning covers
        // all three, so none is said.
        Verdict::Unknown => return,
    };
    let post_deploy = app_root
        .get("hooks")
        .and_then(|h| h.get("post_deploy"))
        .and_then(|hook| hook.value.as_str());
    if !post_deploy.is_some_and(|hook| hook.contains("/ece-tools")) {
        let location = match app_root.entry("hooks") {
            Some(entry) => Location::new(app_file, entry.key_span.get().unwrap_or(entry.value.span))
                .with_pointer("/hooks"),
            None => Location::new(app_file, Span::empty_at(app_root.span.start as usize)),
        };
        reasons.push(Reason {
            text: "the application has no post_deploy hook running ece-tools".to_string(),
            location,
        });
    }
    // Default on; off only when written off.
    if let Some(value) = project.stage_set("global", "SKIP_HTML_MINIFICATION") {
        if !truthy_in("global", &value.node.value) {
            reasons.push(Reason {
                text: "SKIP_HTML_MINIFICATION is disabled".to_string(),
                location: value.location,
            });
        }
    }
    let Some(first) = reasons.first() else {
        return;
    };
    let listed: Vec<&str> = reasons.iter().map(|r| r.text.as_str()).collect();
    let mut diagnostic = Diagnostic::new(
        ConfiguredStateNotIdeal::RULE,
        first.location.clone(),
        format!(
            "the configured state is not ideal: {} ({})",
            listed.join("; "),
            cite(1006)
        ),
    )
    .help("deploy static content in the build (config.php with its scopes: `php ./vendor/bin/ece-tools config:dump`; SCD_ON_DEMAND and SKIP_SCD off), add a post_deploy hook running `php ./vendor/bin/ece-tools run scenario/post-deploy.xml`, keep SKIP_HTML_MINIFICATION on");
    for reason in reasons.iter().skip(1) {
        diagnostic = diagnostic.related(reason.location.clone(), reason.text.clone());
    }
    out.push(diagnostic);
}
