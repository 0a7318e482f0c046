use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a relationship named `solr` in `.magento.app.yaml`: ece-tools' deploy warns that
    /// Solr is deprecated on Magento 2.1 (ece-tools 2008 WARN_SOLR_DEPRECATED) and not
    /// supported from 2.2 (ece-tools 2009 WARN_SOLR_NOT_SUPPORTED).
    ///
    /// ## Why it matters
    /// Magento 2.2 and later cannot search with Solr: the relationship keeps a service running
    /// for nothing, and a project that still relies on it has no working catalog search.
    ///
    /// ## Example
    /// ```yaml
    /// relationships:
    ///     solr: "solr:solr"
    /// ```
    ///
    /// ## Fix
    /// Remove the `solr` relationship and its service, and connect OpenSearch (relationship
    /// `opensearch`) or Elasticsearch (`elasticsearch`).
    ///
    /// ## Source
    /// - ece-tools, `SolrIntegrity.php` (2.1.*: 2008, 2.2 and later: 2009): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/SolrIntegrity.php>
    pub struct SolrRelationship;
    code: "EC063", name: "solr-relationship", severity: Warning, ece_tools: [2008, 2009]
}

impl Rule for SolrRelationship {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some(solr) = project.relationship("solr") else {
        return;
    };
    let Some(magento) = project.magento() else {
        return;
    };
    let satisfies = |c: &str| magento.version.satisfies(c);
    let (code, what) = if satisfies(">=2.2") {
        (2009, "is not supported by Magento 2.2 and later")
    } else if satisfies("2.1.*") {
        (2008, "is deprecated in Magento 2.1")
    } else {
        return;
    };
    out.push(
        Diagnostic::new(
            SolrRelationship::RULE,
            solr.location.clone(),
            format!(
                "Solr {what}, and Magento {} is installed ({})",
                magento.version,
                cite(code)
            ),
        )
        .related(
            magento.location.clone(),
            magento.source(),
        )
        .help("remove the `solr` relationship and its service; connect OpenSearch (`opensearch`) or Elasticsearch (`elasticsearch`)"),
    );
}
