use super::Rule;
use crate::cloud::constraint::Version;
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags a Cloud project whose search engine, as ece-tools' deploy configures it, is MySQL:
    /// `SEARCH_CONFIGURATION` in `.magento.env.yaml` sets `engine: mysql`, or nothing sets an
    /// engine and `.magento.app.yaml` has no `opensearch` or `elasticsearch` relationship (nor,
    /// before Magento 2.2, `solr`). ece-tools warns about it (ece-tools 2019
    /// WARN_DEPRECATED_MYSQL_SEARCH_ENGINE).
    ///
    /// ## Why it matters
    /// MySQL search was deprecated in Magento 2.3 and removed in 2.4: on 2.3 it is slow and
    /// limited, on 2.4 the deploy stops without a search service (EC056) unless Live Search
    /// replaces it, and the catalog search then still writes a MySQL engine to the
    /// configuration.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SEARCH_CONFIGURATION:
    ///       engine: mysql
    /// ```
    ///
    /// ## Fix
    /// Connect an OpenSearch (or Elasticsearch) service through the relationship named
    /// `opensearch` (`elasticsearch`), and remove `engine: mysql` from `SEARCH_CONFIGURATION`.
    ///
    /// ## Source
    /// - ece-tools, `DeprecatedSearchEngine.php` (engine `mysql`: warning 2019): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/DeprecatedSearchEngine.php>
    /// - ece-tools, `SearchEngine.php` (`SEARCH_CONFIGURATION`'s engine, else OpenSearch, Elasticsearch, Solr before 2.2 by relationship name, else `mysql`; ElasticSuite overrides): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/SearchEngine.php>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Configure environment variables for deployment" (`.magento.env.yaml` stages): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/configure-env-yaml>
    pub struct MysqlSearchEngine;
    code: "EC061", name: "mysql-search-engine", severity: Warning, ece_tools: [2019]
}

impl Rule for MysqlSearchEngine {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    let Some((app_file, app_root)) = project.app_yaml else {
        return;
    };
    if !project.runs_ece_tools() {
        return;
    }
    let magento = project.magento();
    let version = magento.as_ref().and_then(|m| Version::parse(&m.version));
    let Some(engine) = project.search_engine(version.as_ref()) else {
        return;
    };
    if engine.name != "mysql" {
        return;
    }
    let location = engine.location.clone().unwrap_or_else(|| {
        app_root.entry("relationships").map_or_else(
            || Location::new(app_file, Span::empty_at(0)),
            |e| {
                Location::new(app_file, e.key_span.get().unwrap_or(e.value.span))
                    .with_pointer("/relationships")
            },
        )
    });
    out.push(
        Diagnostic::new(
            MysqlSearchEngine::RULE,
            location,
            format!(
                "the search engine ece-tools configures is MySQL ({}), which Magento deprecated ({})",
                engine.why,
                cite(2019)
            ),
        )
        .help("connect an OpenSearch service through a relationship named `opensearch` (or Elasticsearch, `elasticsearch`), and do not set `engine: mysql`"),
    );
}
