use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::{cite, severity};
use crate::model::composer_lock::locked_version;
use crate::model::env_yaml::{isset, written_in};
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags `engine: mysql` in the `SEARCH_CONFIGURATION` of `.magento.env.yaml` (the
    /// `deploy` stage). On Magento 2.4.0 and later (the version is read from
    /// composer.lock's `magento/magento2-base`, or `DEPLOYED_MAGENTO_VERSION_FROM_GIT`) it is an
    /// error; before, a warning.
    ///
    /// ## Why it matters
    /// Magento 2.4 removed the MySQL search engine: ece-tools refuses it while validating the
    /// configuration and stops the deploy with error 135 (`DEPLOY_WRONG_SEARCH_ENGINE`), with or
    /// without `_merge`. On older versions ece-tools warns that it is deprecated (2019,
    /// `WARN_DEPRECATED_MYSQL_SEARCH_ENGINE`), unless ElasticSuite (`smile/elasticsuite`)
    /// replaces the engine. When magelint cannot tell the version, it warns. With no `engine`
    /// written, ece-tools takes the search service the relationships give (`opensearch`,
    /// then `elasticsearch`); with none, it configures MySQL and warns the same (2019), on
    /// any version: the warning is then on `.magento.app.yaml`'s relationships.
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
    /// Use the search service of the project (`opensearch`, `elasticsearch7`), or remove
    /// `SEARCH_CONFIGURATION` and let ece-tools configure the search service it finds in the
    /// relationships.
    ///
    /// ## Source
    /// - ece-tools, `SearchConfiguration.php` (error 135 on 2.4.0 and later): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/SearchConfiguration.php>
    /// - ece-tools, `DeprecatedSearchEngine.php` (warning 2019): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/DeprecatedSearchEngine.php>
    /// - ece-tools, `Package/MagentoVersion.php` (where the version comes from): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Package/MagentoVersion.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SEARCH_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct MysqlSearchEngine;
    code: "EC010", name: "mysql-search-engine", severity: Error,
    ece_tools: [135, 2019]
}

impl Rule for MysqlSearchEngine {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let written = project
        .env_root()
        .and_then(|root| written_in(root, "deploy", "SEARCH_CONFIGURATION"));
    let engine = written
        .as_ref()
        .and_then(|w| isset(w.value(), "engine"))
        .map(|e| e.value.as_str());
    let (Some(file), Some(written), Some(engine)) = (project.env_file(), written, engine) else {
        // No engine written: ece-tools takes the one the relationships give.
        default_engine(project, out);
        return;
    };
    if engine != Some("mysql") {
        return;
    }
    let location = written.option_location(file, &["engine"]);
    let version = project.magento();
    let diagnostic = match &version {
        Some(v) if v.version.at_least("2.4.0") => Diagnostic::new(
            MysqlSearchEngine::RULE,
            location,
            format!(
                "Magento {} has no MySQL search engine: {} stops the deploy",
                v.version.text,
                cite(135)
            ),
        )
        .related(v.location.clone(), format!("Magento {} ({})", v.version.text, v.from))
        .severity(severity(135)),
        Some(v) => {
            // ElasticSuite replaces the engine, and ece-tools then says nothing.
            if locked_version(&project.locked_packages(), "smile/elasticsuite").is_some() {
                return;
            }
            Diagnostic::new(
                MysqlSearchEngine::RULE,
                location,
                format!(
                    "the MySQL search engine is deprecated on Magento {} and removed in 2.4: {}",
                    v.version.text,
                    cite(2019)
                ),
            )
            .related(v.location.clone(), format!("Magento {} ({})", v.version.text, v.from))
            .severity(severity(2019))
        }
        None => Diagnostic::new(
            MysqlSearchEngine::RULE,
            location,
            format!(
                "the MySQL search engine is deprecated ({}), and Magento 2.4 has none: {} stops its deploy; magelint found no Magento version (composer.lock's magento/magento2-base)",
                cite(2019),
                cite(135)
            ),
        )
        .severity(severity(2019)),
    };
    out.push(diagnostic.help("use the project's search service (`engine: opensearch`), or remove SEARCH_CONFIGURATION to let ece-tools configure it"));
}

/// ece-tools' default engine when SEARCH_CONFIGURATION names none: MySQL when no relationship
/// gives a search service (and ElasticSuite is not installed), which it warns is deprecated
/// (2019) whatever the version; on 2.4 the missing service is EC056's (134).
fn default_engine(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some((app_file, app)) = project.app_yaml else {
        return;
    };
    let magento = project.magento().map(|m| m.version);
    let Some(engine) = project.search_engine(magento.as_ref()) else {
        return;
    };
    if engine.name != "mysql" {
        return;
    }
    let at = match app.entry("relationships") {
        Some(entry) => entry.key_span.get().unwrap_or(entry.value.span),
        None => crate::syntax::Span::empty_at(app.span.start as usize),
    };
    out.push(
        Diagnostic::new(
            MysqlSearchEngine::RULE,
            crate::diagnostic::Location::new(app_file, at).with_pointer("/relationships"),
            format!(
                "no relationship gives a search service (`opensearch`, `elasticsearch`) and SEARCH_CONFIGURATION names no engine, so ece-tools configures the deprecated MySQL search engine ({})",
                cite(2019)
            ),
        )
        .severity(severity(2019))
        .help("add an OpenSearch service to .magento/services.yaml and an `opensearch` relationship to .magento.app.yaml"),
    );
}
