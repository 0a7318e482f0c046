use super::Rule;
use crate::cloud::{Project, Relationship};
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::facts::{is_truthy, LIVE_SEARCH_MODULE};
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

/// The Magento versions ece-tools deploys with OpenSearch.
const OPENSEARCH_MAGENTO: &str = ">=2.3.7-p3 <2.4.0 || >=2.4.3-p2";

declare_rule! {
    /// ## What it does
    /// Flags a project whose Magento version (composer.lock) ece-tools deploys only with a
    /// search service that `.magento.app.yaml` does not connect under the relationship name
    /// ece-tools looks for, or that connects OpenSearch to a Magento version without support
    /// for it: critical errors that stop the deploy (ece-tools 134, 138, 139).
    ///
    /// - Magento 2.4.0 and later without an `elasticsearch` relationship (and, from 2.4.3-p2,
    ///   without an `opensearch` one) stops the deploy (ece-tools 134
    ///   DEPLOY_ES_SERVICE_NOT_INSTALLED);
    /// - Magento 2.4.3-p2 and later with neither relationship stops it too (ece-tools 138
    ///   DEPLOY_OS_SERVICE_NOT_INSTALLED);
    /// - an `opensearch` relationship on a Magento version without OpenSearch support (before
    ///   2.3.7-p3, or 2.4.0 to 2.4.3-p1) stops it (ece-tools 139
    ///   DEPLOY_MAGENTO_VERSION_DOES_NOT_SUPPORT_OS).
    ///
    /// Live Search enabled in config.php (`Magento_LiveSearchAdapter`) replaces the search
    /// service for the first two.
    ///
    /// ## Why it matters
    /// Magento 2.4 has no MySQL search: without a search service it cannot index or search the
    /// catalog, and ece-tools stops the deploy at its configuration check, after the whole
    /// build. ece-tools finds the service by the relationship's *name*: a relationship called
    /// `search: "opensearch:opensearch"` connects the service but is not found.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.6-p3; `.magento.app.yaml` has
    /// ```yaml
    /// relationships:
    ///     database: "mysql:mysql"
    ///     search: "opensearch:opensearch"
    /// ```
    ///
    /// ## Fix
    /// Name the relationship `opensearch` (or `elasticsearch` for an Elasticsearch service)
    /// and define the service in `.magento/services.yaml`; on a Magento version without
    /// OpenSearch support, use Elasticsearch or upgrade Magento.
    ///
    /// ## Source
    /// - ece-tools, `ElasticSearchIntegrity.php` (134): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ElasticSearchIntegrity.php>
    /// - ece-tools, `OpenSearchIntegrity.php` (138, 139): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/OpenSearchIntegrity.php>
    /// - ece-tools, `Search/AbstractService.php` (a search service is installed when the relationship named `elasticsearch` / `opensearch` exists): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Service/Search/AbstractService.php>
    /// - ece-tools, `scenario/deploy.xml` (both are critical validators of `validate-config`): <https://github.com/magento/ece-tools/blob/2002.1.17/scenario/deploy.xml>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Properties for application configuration" (`opensearch: "opensearch:opensearch"`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/properties>
    pub struct SearchServiceMissing;
    code: "EC056", name: "search-service-missing", severity: Error, ece_tools: [134, 138, 139]
}

impl Rule for SearchServiceMissing {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, check, out);
    }
}

fn check(
    fleet: &Fleet<'_>,
    installation: &Installation,
    project: &Project<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((app_file, app_root)) = project.app_yaml else {
        return;
    };
    let Some(magento) = project.magento() else {
        return;
    };
    // ece-tools compares these without composer's `-dev` lowering.
    let at_least = |v: &str| magento.version.at_least(v);
    let elasticsearch = project.relationship("elasticsearch");
    let opensearch = project.relationship("opensearch");
    let magento_at = || (magento.location.clone(), magento.source());
    let relationships_at = app_root.entry("relationships").map_or_else(
        || Location::new(app_file, Span::empty_at(0)),
        |e| {
            Location::new(app_file, e.key_span.get().unwrap_or(e.value.span))
                .with_pointer("/relationships")
        },
    );
    // 139: OpenSearch where this Magento has no support for it.
    if let Some(relationship) = &opensearch {
        let supported = magento.version.satisfies(OPENSEARCH_MAGENTO);
        let elasticsearch_wins = at_least("2.4.0") && elasticsearch.is_some();
        if !supported && !elasticsearch_wins {
            out.push(
                Diagnostic::new(
                    SearchServiceMissing::RULE,
                    relationship.location.clone(),
                    format!(
                        "Magento {} does not support OpenSearch (2.3.7-p3 or later in 2.3, 2.4.3-p2 or later in 2.4): the deploy stops ({})",
                        magento.version,
                        cite(139)
                    ),
                )
                .related(magento_at().0, magento_at().1)
                .help("use an Elasticsearch service (relationship `elasticsearch`), or upgrade Magento"),
            );
        }
    }
    let live_search = || -> Option<bool> {
        let config = installation.config_php?;
        let root = &fleet.files.get(config)?.facts.as_ref()?.root;
        Some(
            root.get("modules")
                .and_then(|m| m.get(LIVE_SEARCH_MODULE))
                .is_some_and(|m| is_truthy(&m.value)),
        )
    };
    let mut codes = Vec::new();
    let opensearch_era = at_least("2.4.3-p2");
    // 134: from 2.4.0, Elasticsearch (or, from 2.4.3-p2, OpenSearch) is required.
    if at_least("2.4.0") && elasticsearch.is_none() && !(opensearch_era && opensearch.is_some()) {
        codes.push(134);
    }
    // 138: from 2.4.3-p2, OpenSearch is required unless Elasticsearch is there.
    if opensearch_era && opensearch.is_none() && elasticsearch.is_none() {
        codes.push(138);
    }
    if codes.is_empty() {
        return;
    }
    // Without config.php, whether Live Search is on cannot be told: no finding.
    match live_search() {
        Some(false) => {}
        _ => return,
    }
    let wanted = if opensearch_era {
        "`opensearch` (or `elasticsearch`) relationship"
    } else {
        "`elasticsearch` relationship"
    };
    let cited: Vec<String> = codes.iter().map(|c| cite(*c)).collect();
    let mut diagnostic = Diagnostic::new(
        SearchServiceMissing::RULE,
        relationships_at,
        format!(
            "Magento {} needs a search service, and .magento.app.yaml has no {wanted}: the deploy stops ({})",
            magento.version,
            cited.join(", ")
        ),
    )
    .related(magento_at().0, magento_at().1)
    .help(format!(
        "add an {wanted} to a search service of .magento/services.yaml (e.g. `opensearch: \"opensearch:opensearch\"`), or enable Live Search ({LIVE_SEARCH_MODULE})"
    ));
    for relationship in misnamed(project) {
        diagnostic = diagnostic.related(
            relationship.location.clone(),
            format!(
                "`{}` connects a search service, but ece-tools looks for the relationship by name",
                relationship.name
            ),
        );
    }
    out.push(diagnostic);
}

/// Relationships to an OpenSearch or Elasticsearch service under another name.
fn misnamed<'a>(project: &Project<'a>) -> Vec<Relationship<'a>> {
    project
        .relationships()
        .into_iter()
        .filter(|r| {
            r.service
                .as_deref()
                .and_then(|s| project.service(s))
                .is_some_and(|s| matches!(s.kind.as_str(), "opensearch" | "elasticsearch"))
        })
        .collect()
}
