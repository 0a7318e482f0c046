use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, seen, written_in};
use crate::model::Fleet;
use crate::syntax::{Node, Span, Value};

declare_rule! {
    /// ## What it does
    /// Flags `SCD_STRATEGY` or `SCD_THREADS` in a stage of `.magento.env.yaml` where static
    /// content is not deployed: in `build` when `SCD_ON_DEMAND` or the build's `SKIP_SCD` is
    /// on, or `app/etc/config.php` lists no website or store; in `deploy` when `SCD_ON_DEMAND`
    /// or the deploy's `SKIP_SCD` is on, or static content is deployed in the build instead.
    ///
    /// ## Why it matters
    /// ece-tools deploys static content in the build when it can (config.php knows the stores
    /// and nothing skips it), else in the deploy, else on demand. Options written for the other
    /// stage do nothing, and ece-tools says so: warning 1005 (`WARN_SCD_OPTIONS_IGNORANCE`) in
    /// the build, 2013 (`WARN_DEPLOY_SCD_OPTIONS_IGNORANCE`) in the deploy. The tuning you
    /// wrote is not the one that runs.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   global:
    ///     SCD_ON_DEMAND: true
    ///   build:
    ///     SCD_THREADS: 4
    /// ```
    ///
    /// ## Fix
    /// Move the option to the stage where static content is deployed, or delete it.
    ///
    /// ## Source
    /// - ece-tools, `Build/ScdOptionsIgnorance.php` (1005): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/ScdOptionsIgnorance.php>
    /// - ece-tools, `Deploy/ScdOptionsIgnorance.php` (2013): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ScdOptionsIgnorance.php>
    /// - ece-tools, `GlobalStage/ScdOnBuild.php` and `ScdOnDeploy.php` (where static content is deployed): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/GlobalStage/ScdOnBuild.php>
    /// - Adobe Commerce on Cloud, "Static content deployment strategies": <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/develop/deploy/static-content>
    pub struct IgnoredScdOption;
    code: "EC014", name: "ignored-scd-option", severity: Warning,
    ece_tools: [1005, 2013]
}

/// Why static content is not deployed in a stage, and where that is written.
pub(crate) struct Reason {
    pub text: String,
    pub location: Location,
}

/// Why ece-tools does not deploy static content in the build (`ScdOnBuild`), in its order,
/// and whether config.php could be judged (an installation without a config.php among the
/// linted files cannot).
pub(crate) fn not_on_build(project: &Project<'_>) -> (Vec<Reason>, bool) {
    let mut reasons = Vec::new();
    if let (Some(file), Some(root)) = (project.env_file(), project.env_root()) {
        if let Some(w) = written_in(root, "global", "SCD_ON_DEMAND").filter(|w| truthy(w.value())) {
            reasons.push(Reason {
                text: "SCD_ON_DEMAND is enabled".into(),
                location: w.location(file),
            });
        }
        if let Some(w) = seen(root, "build", "SKIP_SCD").filter(|w| truthy(w.value())) {
            reasons.push(Reason {
                text: format!("SKIP_SCD is enabled (in `{}`)", w.stage),
                location: w.location(file),
            });
        }
    }
    let Some((installation, config_file)) =
        project.installation.and_then(|i| Some((i, i.config_php?)))
    else {
        return (reasons, false);
    };
    if installation.website_codes.is_empty() && installation.store_codes.is_empty() {
        let at = project
            .config_php
            .and_then(|(_, root)| root.entry("scopes"))
            .and_then(|e| e.key_span.get())
            .unwrap_or(Span::empty_at(0));
        reasons.push(Reason {
            text: "app/etc/config.php lists no website or store (`scopes`)".into(),
            location: Location::new(config_file, at),
        });
    }
    (reasons, true)
}

/// PHP truthiness of a flag; a value known only at run time is not judged.
fn truthy(node: &Node) -> bool {
    is_empty(node) == Some(false)
}

impl Rule for IgnoredScdOption {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

const SCD_OPTIONS: [&str; 2] = ["SCD_STRATEGY", "SCD_THREADS"];

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(file), Some(root)) = (project.env_file(), project.env_root()) else {
        return;
    };
    let (build_reasons, config_known) = not_on_build(project);
    let mut deploy_reasons = Vec::new();
    if let Some(w) = written_in(root, "global", "SCD_ON_DEMAND").filter(|w| truthy(w.value())) {
        deploy_reasons.push(Reason {
            text: "SCD_ON_DEMAND is enabled".into(),
            location: w.location(file),
        });
    }
    if let Some(w) = seen(root, "deploy", "SKIP_SCD").filter(|w| truthy(w.value())) {
        deploy_reasons.push(Reason {
            text: format!("SKIP_SCD is enabled (in `{}`)", w.stage),
            location: w.location(file),
        });
    }
    if config_known && build_reasons.is_empty() {
        let at = project
            .installation
            .and_then(|i| i.config_php)
            .map(|f| Location::new(f, Span::empty_at(0)));
        if let Some(location) = at {
            deploy_reasons.push(Reason {
                text:
                    "static content is deployed in the build (app/etc/config.php lists the stores)"
                        .into(),
                location,
            });
        }
    }
    for (stage, reasons, code) in [
        ("build", &build_reasons, 1005),
        ("deploy", &deploy_reasons, 2013),
    ] {
        let Some(reason) = reasons.first() else {
            continue;
        };
        for name in SCD_OPTIONS {
            let Some(w) = written_in(root, stage, name).filter(|w| w.value().value != Value::Null)
            else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    IgnoredScdOption::RULE,
                    w.location(file),
                    format!(
                        "{name} in `{stage}` is ignored: {}, so static content is not deployed in the {stage} ({})",
                        reason.text,
                        cite(code)
                    ),
                )
                .related(reason.location.clone(), reason.text.clone())
                .help("move the option to the stage where static content is deployed, or delete it"),
            );
        }
    }
}
