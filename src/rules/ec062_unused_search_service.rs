use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a search service ece-tools finds but Magento will not use: an `elasticsearch`
    /// relationship while the search engine (`SEARCH_CONFIGURATION`'s `engine`) is not of the
    /// Elasticsearch family (ece-tools 2010 WARN_ES_INSTALLED_BUT_NOT_USED), and both an
    /// `elasticsearch` and an `opensearch` relationship (ece-tools 2030
    /// WARN_OS_ES_SERVICES_BOTH_INSTALLED).
    ///
    /// ## Why it matters
    /// A search service costs memory and disk on every environment of the project, and with
    /// two of them it is easy to reindex one while the storefront reads the other (ece-tools
    /// configures OpenSearch when both are there). ece-tools warns on each deploy.
    ///
    /// ## Example
    /// ```yaml
    /// relationships:
    ///     database: "mysql:mysql"
    ///     elasticsearch: "elasticsearch:elasticsearch"
    ///     opensearch: "opensearch:opensearch"
    /// ```
    ///
    /// ## Fix
    /// Remove the relationship (and the service from `.magento/services.yaml`) you do not use,
    /// or set `SEARCH_CONFIGURATION`'s engine to the service you keep.
    ///
    /// ## Source
    /// - ece-tools, `ElasticSearchUsage.php` (2010): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ElasticSearchUsage.php>
    /// - ece-tools, `OpenSearchElasticSearchBothInstalled.php` (2030): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/OpenSearchElasticSearchBothInstalled.php>
    /// - ece-tools, `SearchEngine.php` (the engine, and which count as Elasticsearch: `elasticsearch…`, `elasticsuite`, `opensearch`): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/SearchEngine.php>
    pub struct UnusedSearchService;
    code: "EC062", name: "unused-search-service", severity: Warning, ece_tools: [2010, 2030]
}

impl Rule for UnusedSearchService {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some(elasticsearch) = project.relationship("elasticsearch") else {
        return;
    };
    let magento = project.magento();
    let version = magento.map(|m| m.version);
    if let Some(engine) = project.search_engine(version.as_ref()) {
        if !engine.is_elasticsearch_family() {
            let mut diagnostic = Diagnostic::new(
                UnusedSearchService::RULE,
                elasticsearch.location.clone(),
                format!(
                    "the `elasticsearch` relationship connects a service Magento does not use: the search engine is `{}` ({}) ({})",
                    engine.name,
                    engine.why,
                    cite(2010)
                ),
            )
            .help("remove the relationship and its service, or make Elasticsearch the engine");
            if let Some(location) = &engine.location {
                diagnostic =
                    diagnostic.related(location.clone(), format!("the engine: {}", engine.why));
            }
            out.push(diagnostic);
        }
    }
    if let Some(opensearch) = project.relationship("opensearch") {
        out.push(
            Diagnostic::new(
                UnusedSearchService::RULE,
                elasticsearch.location.clone(),
                format!(
                    "both an Elasticsearch and an OpenSearch service are connected; ece-tools configures OpenSearch ({})",
                    cite(2030)
                ),
            )
            .related(opensearch.location.clone(), "the `opensearch` relationship")
            .help("remove the relationship (and the service) you do not use"),
        );
    }
}
