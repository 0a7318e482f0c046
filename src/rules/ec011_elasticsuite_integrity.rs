use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::composer_lock::locked_version;
use crate::model::env_yaml::{isset, written_in};
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// For a project that locks ElasticSuite (`smile/elasticsuite` in composer.lock), flags a
    /// `.magento.app.yaml` with no `elasticsearch` or `opensearch` relationship, and a
    /// `SEARCH_CONFIGURATION` in `.magento.env.yaml` whose `engine` is not `elasticsuite`.
    ///
    /// ## Why it matters
    /// ElasticSuite needs an Elasticsearch or OpenSearch service and is its own search engine.
    /// ece-tools checks both while validating the configuration and stops the deploy: with error
    /// 113 (`DEPLOY_ELASTIC_SUITE_WITHOUT_ES`) when neither relationship exists, else with error
    /// 114 (`DEPLOY_ELASTIC_SUITE_WRONG_ENGINE`) when another engine is configured.
    ///
    /// ## Example
    /// ```yaml
    /// # .magento.env.yaml, with smile/elasticsuite in composer.lock
    /// stage:
    ///   deploy:
    ///     SEARCH_CONFIGURATION:
    ///       engine: opensearch
    /// ```
    ///
    /// ## Fix
    /// Add the search relationship to `.magento.app.yaml` (`opensearch: "opensearch:opensearch"`,
    /// with the service in `.magento/services.yaml`), and write `engine: elasticsuite` or no
    /// engine at all.
    ///
    /// ## Source
    /// - ece-tools, `ElasticSuiteIntegrity.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ElasticSuiteIntegrity.php>
    /// - ece-tools, `Config/SearchEngine/ElasticSuite.php` (installed when `smile/elasticsuite` is): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/SearchEngine/ElasticSuite.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`ELASTICSUITE_CONFIGURATION`, `SEARCH_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct ElasticsuiteIntegrity;
    code: "EC011", name: "elasticsuite-integrity", severity: Error,
    ece_tools: [113, 114]
}

impl Rule for ElasticsuiteIntegrity {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    // The relationships are needed to tell 113 from 114.
    let Some((app_file, app)) = project.app_yaml else {
        return;
    };
    let packages = project.locked_packages();
    let Some(suite) = locked_version(&packages, "smile/elasticsuite") else {
        return;
    };
    let related = (
        suite.location.clone(),
        format!("smile/elasticsuite {} is locked here", suite.version),
    );
    let relationships = app.get("relationships");
    let has = |name: &str| relationships.and_then(|r| isset(r, name)).is_some();
    if !has("elasticsearch") && !has("opensearch") {
        let at = app
            .entry("relationships")
            .and_then(|e| e.key_span.get())
            .unwrap_or(app.span);
        out.push(
            Diagnostic::new(
                ElasticsuiteIntegrity::RULE,
                Location::new(app_file, at).with_pointer("/relationships"),
                format!(
                    "ElasticSuite is installed but no `elasticsearch` or `opensearch` relationship gives it a search service: {} stops the deploy",
                    cite(113)
                ),
            )
            .related(related.0, related.1)
            .help("add an `opensearch` relationship to .magento.app.yaml, with the service in .magento/services.yaml"),
        );
        return;
    }
    let (Some(file), Some(root)) = (project.env_file(), project.env_root()) else {
        return;
    };
    let Some(written) = written_in(root, "deploy", "SEARCH_CONFIGURATION") else {
        return;
    };
    let Some(engine) = isset(written.value(), "engine").and_then(|e| e.value.as_str()) else {
        return;
    };
    if engine.is_empty() || engine == "0" || engine.eq_ignore_ascii_case("elasticsuite") {
        return;
    }
    out.push(
        Diagnostic::new(
            ElasticsuiteIntegrity::RULE,
            written.option_location(file, &["engine"]),
            format!(
                "ElasticSuite is installed, but SEARCH_CONFIGURATION sets the engine `{engine}`: {} stops the deploy",
                cite(114)
            ),
        )
        .related(related.0, related.1)
        .help("write `engine: elasticsuite`, or remove `engine` and let ece-tools set it"),
    );
}
