use super::Rule;
use crate::cloud::{describe, Project};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::Fleet;
use crate::semver::Constraint;

/// The Elasticsearch client Magento talks to the service with.
const CLIENT: &str = "elasticsearch/elasticsearch";

declare_rule! {
    /// ## What it does
    /// Flags an Elasticsearch service (relationship `elasticsearch`, version from its
    /// `.magento/services.yaml` type) that the `elasticsearch/elasticsearch` client locked in
    /// composer.lock does not work with, by ece-tools' table (client `~6.0` needs
    /// Elasticsearch 6, client 7.5 and later needs Elasticsearch 7.5 or later...), when
    /// Elasticsearch is the search engine. ece-tools' deploy warns about it (ece-tools 2011
    /// WARN_ES_VERSION_MISMATCH).
    ///
    /// ## Why it matters
    /// The client speaks one major version of the Elasticsearch protocol: against another,
    /// indexing and search requests fail or return nothing, and the storefront search breaks
    /// after the deploy.
    ///
    /// The table is the one of the ece-tools release composer.lock locks
    /// (data/ece-tools/services.json, 2002.1.9 to 2002.1.17); with another release, or none
    /// locked, the rule says nothing.
    ///
    /// ## Example
    /// composer.lock locks elasticsearch/elasticsearch 7.17.1; `.magento/services.yaml` has
    /// ```yaml
    /// elasticsearch:
    ///     type: elasticsearch:6.8
    /// ```
    ///
    /// ## Fix
    /// Change the service's `type:` to a version the client works with (Pro Staging and
    /// Production: ask Adobe Support), or lock the client for the service you run.
    ///
    /// ## Source
    /// - ece-tools, `ElasticSearchVersion.php` (the client/service table; warning 2011): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ElasticSearchVersion.php>
    /// - ece-tools, `SearchEngine.php` (checked only when the engine is of the Elasticsearch family): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/SearchEngine.php>
    pub struct ElasticsearchVersionMismatch;
    code: "EC065", name: "elasticsearch-version-mismatch", severity: Warning, ece_tools: [2011]
}

impl Rule for ElasticsearchVersionMismatch {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some((_, release)) = project.ece_tools_release() else {
        return;
    };
    let (Some(deployed), Some(client)) =
        (project.deployed("elasticsearch"), project.locked(CLIENT))
    else {
        return;
    };
    let magento = project.magento();
    if !project
        .search_engine(magento.as_ref().map(|m| &m.version))
        .is_some_and(|engine| engine.is_elasticsearch_family())
    {
        return;
    }
    let row = release
        .elasticsearch_client
        .iter()
        .find(|(client_range, service_range, _)| {
            Constraint::satisfies(&client.version, client_range) == Some(true)
                && Constraint::satisfies(&deployed.version, service_range) == Some(false)
        });
    let Some((_, _, wanted)) = row else {
        return;
    };
    out.push(
        Diagnostic::new(
            ElasticsearchVersionMismatch::RULE,
            deployed.service.location.clone(),
            format!(
                "{} does not work with {CLIENT} {}, which Magento talks to it with: the client needs Elasticsearch {wanted} ({})",
                describe(&deployed),
                client.version,
                cite(2011)
            ),
        )
        .related(client.location.clone(), format!("composer.lock locks {CLIENT} {}", client.version))
        .related(
            deployed.relationship.location.clone(),
            "the `elasticsearch` relationship",
        )
        .help(format!(
            "set `type:` of `{}` to Elasticsearch {wanted} (Pro Staging and Production: ask Adobe Support), or lock the client for the service you run",
            deployed.service.name
        )),
    );
}
