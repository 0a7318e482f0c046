use super::Rule;
use crate::cloud::search::ELASTICSUITE;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::{Fleet, Installation};

declare_rule! {
    /// ## What it does
    /// Flags a project whose composer.lock locks ElasticSuite (`smile/elasticsuite`) without
    /// an `elasticsearch` or `opensearch` relationship (ece-tools 113
    /// DEPLOY_ELASTIC_SUITE_WITHOUT_ES), or with `SEARCH_CONFIGURATION` naming another engine
    /// than `elasticsuite` (ece-tools 114 DEPLOY_ELASTIC_SUITE_WRONG_ENGINE). Both stop the
    /// deploy.
    ///
    /// ## Why it matters
    /// ElasticSuite replaces Magento's search and needs an Elasticsearch-compatible service;
    /// ece-tools configures it as the engine itself and refuses a configuration that says
    /// otherwise, after the whole build.
    ///
    /// ## Example
    /// composer.lock locks smile/elasticsuite; `.magento.env.yaml` has
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SEARCH_CONFIGURATION:
    ///       engine: elasticsearch7
    /// ```
    ///
    /// ## Fix
    /// Connect the search service through a relationship named `opensearch` or
    /// `elasticsearch`, and remove `engine` from `SEARCH_CONFIGURATION` (or set it to
    /// `elasticsuite`).
    ///
    /// ## Source
    /// - ece-tools, `ElasticSuiteIntegrity.php` (113, 114): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ElasticSuiteIntegrity.php>
    /// - ece-tools, `SearchEngine/ElasticSuite.php` (installed when composer.lock has `smile/elasticsuite`): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/SearchEngine/ElasticSuite.php>
    pub struct ElasticsuiteSearchService;
    code: "EC064", name: "elasticsuite-search-service", severity: Error, ece_tools: [113, 114]
}

impl Rule for ElasticsuiteSearchService {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    if !project.runs_ece_tools() {
        return;
    }
    let Some(package) = project.locked(ELASTICSUITE) else {
        return;
    };
    let locked = format!("composer.lock locks {ELASTICSUITE} {}", package.version);
    if project.relationship("elasticsearch").is_none() && project.relationship("opensearch").is_none() {
        out.push(
            Diagnostic::new(
                ElasticsuiteSearchService::RULE,
                package.location.clone(),
                format!(
                    "ElasticSuite is installed, and .magento.app.yaml has no `elasticsearch` or `opensearch` relationship: the deploy stops ({})",
                    cite(113)
                ),
            )
            .help("connect the search service through a relationship named `opensearch` or `elasticsearch`"),
        );
        return;
    }
    let Some((engine, location)) = project.configured_engine() else {
        return;
    };
    if engine.is_empty() || engine.eq_ignore_ascii_case("elasticsuite") {
        return;
    }
    out.push(
        Diagnostic::new(
            ElasticsuiteSearchService::RULE,
            location,
            format!(
                "SEARCH_CONFIGURATION sets the engine `{engine}`, but ElasticSuite is installed: the deploy stops ({})",
                cite(114)
            ),
        )
        .related(package.location.clone(), locked)
        .help("remove `engine` from SEARCH_CONFIGURATION, or set it to `elasticsuite`"),
    );
}
