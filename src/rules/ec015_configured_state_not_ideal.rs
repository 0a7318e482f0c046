use super::ec014_ignored_scd_option::{not_on_build, Reason};
use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, written_in};
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags what keeps a Cloud project from the deployment Adobe calls the ideal state: static
    /// content not deployed in the build (`SCD_ON_DEMAND` or the build's `SKIP_SCD` on, or
    /// `app/etc/config.php` listing no website or store), no ece-tools `post_deploy` hook in
    /// `.magento.app.yaml`, or `SKIP_HTML_MINIFICATION: false` in `.magento.env.yaml`.
    ///
    /// ## Why it matters
    /// In the ideal state the site is down only for the short deploy phase: static content is
    /// built beforehand, caches are warmed after. ece-tools reports each deviation at every
    /// build with warning 1006 (`WARN_CONFIGURATION_STATE_NOT_IDEAL`); the usual one is a
    /// config.php without `scopes`, which sends static content deployment to the deploy phase,
    /// while the site is in maintenance.
    ///
    /// ## Example
    /// ```yaml
    /// # .magento.app.yaml
    /// hooks:
    ///   deploy: |
    ///     php ./vendor/bin/ece-tools run scenario/deploy.xml
    /// ```
    ///
    /// ## Fix
    /// Dump the stores into config.php (`php ./vendor/bin/ece-tools config:dump` on the
    /// environment, then commit `app/etc/config.php`); add
    /// `post_deploy: php ./vendor/bin/ece-tools run scenario/post-deploy.xml` to the hooks;
    /// remove `SKIP_HTML_MINIFICATION: false`.
    ///
    /// ## Source
    /// - ece-tools, `IdealState.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/IdealState.php>
    /// - ece-tools, `Application/HookChecker.php` (the post-deploy hook): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Application/HookChecker.php>
    /// - Adobe Commerce on Cloud, "Static content deployment strategies" (the ideal state): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/develop/deploy/static-content>
    pub struct ConfiguredStateNotIdeal;
    code: "EC015", name: "configured-state-not-ideal", severity: Warning,
    ece_tools: [1006]
}

impl Rule for ConfiguredStateNotIdeal {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let (mut reasons, _) = not_on_build(project);
    for reason in &mut reasons {
        reason.text = format!(
            "static content is not deployed in the build: {}",
            reason.text
        );
    }
    if let Some((file, app)) = project.app_yaml {
        let hook = app.get("hooks").and_then(|h| h.get("post_deploy"));
        let runs_ece_tools = match hook.map(|h| &h.value) {
            None | Some(crate::syntax::Value::Null) => false,
            Some(crate::syntax::Value::String(text)) => text.contains("/ece-tools"),
            // Not text: ece-tools fails on it otherwise; not judged here.
            Some(_) => true,
        };
        if !runs_ece_tools {
            let entry = app.entry("hooks");
            let at = match entry.and_then(|e| e.key_span.get()) {
                Some(span) => Location::new(file, span).with_pointer("/hooks"),
                None => Location::new(file, crate::syntax::Span::empty_at(0)),
            };
            reasons.push(Reason {
                text: "the `post_deploy` hook does not run ece-tools".into(),
                location: at,
            });
        }
    }
    if let (Some(file), Some(root)) = (project.env_file(), project.env_root()) {
        let minification = written_in(root, "global", "SKIP_HTML_MINIFICATION");
        if let Some(w) = minification.filter(|w| is_empty(w.value()) == Some(true)) {
            reasons.push(Reason {
                text: "SKIP_HTML_MINIFICATION is disabled".into(),
                location: w.location(file),
            });
        }
    }
    for reason in reasons {
        out.push(
            Diagnostic::new(
                ConfiguredStateNotIdeal::RULE,
                reason.location,
                format!(
                    "the configured state is not ideal: {} ({})",
                    reason.text,
                    cite(1006)
                ),
            )
            .help(help(&reason.text)),
        );
    }
}

fn help(reason: &str) -> &'static str {
    if reason.contains("post_deploy") {
        "add `post_deploy: php ./vendor/bin/ece-tools run scenario/post-deploy.xml` to the hooks"
    } else if reason.contains("config.php") {
        "run `php ./vendor/bin/ece-tools config:dump` on the environment and commit app/etc/config.php with its scopes"
    } else if reason.contains("SKIP_HTML_MINIFICATION") {
        "remove `SKIP_HTML_MINIFICATION: false` (true is the default)"
    } else {
        "turn it off to deploy static content in the build"
    }
}
