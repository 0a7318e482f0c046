use super::Rule;
use crate::cloud::scd::Verdict;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::{Fleet, Installation};

/// The static content options ece-tools' ignorance checks look for.
const OPTIONS: &[&str] = &["SCD_STRATEGY", "SCD_THREADS"];

declare_rule! {
    /// ## What it does
    /// Flags `SCD_STRATEGY` or `SCD_THREADS` set in a stage of `.magento.env.yaml` that does
    /// not deploy static content, as ece-tools decides it from the repository (ece-tools 1005,
    /// 2013).
    ///
    /// - in `stage.build` when `SCD_ON_DEMAND` (global) or `SKIP_SCD` (build) is on, or
    ///   `app/etc/config.php` lists no stores or websites (ece-tools 1005
    ///   WARN_SCD_OPTIONS_IGNORANCE);
    /// - in `stage.deploy` when `SCD_ON_DEMAND` or `SKIP_SCD` (deploy) is on, or static
    ///   content is deployed in the build (config.php lists its scopes and neither variable is
    ///   on) (ece-tools 2013 WARN_DEPLOY_SCD_OPTIONS_IGNORANCE).
    ///
    /// ## Why it matters
    /// The options tune a static content deployment that does not happen in that phase: the
    /// setting is dead, and whoever reads it believes the deployment runs there, tuned. The
    /// usual case is `SCD_THREADS` under `deploy` in a project whose config.php lists its
    /// scopes, so ece-tools deploys static content during the build (with the `build`
    /// options).
    ///
    /// ## Example
    /// `app/etc/config.php` lists the websites and stores; `.magento.env.yaml` has
    /// ```yaml
    /// stage:
    ///     deploy:
    ///         SCD_THREADS: 4
    /// ```
    ///
    /// ## Fix
    /// Move the option to the stage that deploys static content (`build` when config.php
    /// lists the scopes), or remove it.
    ///
    /// ## Source
    /// - ece-tools, `Build/ScdOptionsIgnorance.php` (1005): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/ScdOptionsIgnorance.php>
    /// - ece-tools, `Deploy/ScdOptionsIgnorance.php` (2013): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ScdOptionsIgnorance.php>
    /// - ece-tools, `GlobalStage/ScdOnBuild.php`, `GlobalStage/ScdOnDeploy.php`, `Build/ConfigFileStructure.php` (where static content is deployed): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/GlobalStage/ScdOnBuild.php>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Static content deployment strategies": <https://experienceleague.adobe.com/docs/commerce-cloud-service/user-guide/develop/deploy/static-content.html>
    pub struct ScdOptionsIgnored;
    code: "EC059", name: "scd-options-ignored", severity: Warning, ece_tools: [1005, 2013]
}

impl Rule for ScdOptionsIgnored {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    if !project.runs_ece_tools() {
        return;
    }
    if project.env_yaml.is_none() || project.app_yaml.is_none() {
        return;
    }
    for (stage, code) in [("build", 1005), ("deploy", 2013)] {
        let set: Vec<_> = OPTIONS
            .iter()
            .filter_map(|name| Some((*name, project.stage_set(stage, name)?)))
            .collect();
        if set.is_empty() {
            continue;
        }
        let verdict = match stage {
            "build" => project.scd_on_build(),
            _ => project.scd_on_deploy(),
        };
        let Verdict::Skipped(reasons) = verdict else {
            continue;
        };
        let Some(first) = reasons.first() else {
            continue;
        };
        let names: Vec<&str> = set.iter().map(|(name, _)| *name).collect();
        for (name, value) in &set {
            let mut diagnostic = Diagnostic::new(
                ScdOptionsIgnored::RULE,
                value.location.clone(),
                format!(
                    "{name} under stage.{stage} is ignored: static content is not deployed in the {stage} phase when {} ({})",
                    first.text,
                    cite(code)
                ),
            )
            .help(format!(
                "move {} to the stage that deploys static content, or remove {}",
                names.join(" and "),
                if names.len() == 1 { "it" } else { "them" }
            ));
            for reason in &reasons {
                diagnostic = diagnostic.related(reason.location.clone(), reason.text.clone());
            }
            out.push(diagnostic);
        }
    }
}
