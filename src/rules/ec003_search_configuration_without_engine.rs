use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{isset, written_in, Merge};

declare_rule! {
    /// ## What it does
    /// Flags a `SEARCH_CONFIGURATION` in the `deploy` stage of `.magento.env.yaml` that
    /// replaces the search configuration without naming the search `engine`.
    ///
    /// ## Why it matters
    /// Without `_merge: true`, the variable replaces the `catalog/search` settings ece-tools
    /// generates from the search service, so it must say which engine to use. ece-tools checks
    /// this while validating the configuration and stops the deploy with error 111
    /// (`DEPLOY_WRONG_CONFIGURATION_SEARCH`).
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SEARCH_CONFIGURATION:
    ///       opensearch_server_port: 9200
    /// ```
    ///
    /// ## Fix
    /// Add `_merge: true` to change only some options of the generated configuration, or write
    /// `engine:` (`opensearch`, `elasticsearch7`...).
    ///
    /// ## Source
    /// - ece-tools, `SearchConfiguration.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/SearchConfiguration.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SEARCH_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct SearchConfigurationWithoutEngine;
    code: "EC003", name: "search-configuration-without-engine", severity: Error,
    ece_tools: [111]
}

impl Rule for SearchConfigurationWithoutEngine {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let Some(written) = written_in(&file.document.root, "deploy", "SEARCH_CONFIGURATION")
        else {
            return;
        };
        let Some(config) = Merge::of(written.value()) else {
            return;
        };
        if config.is_empty()
            || config.is_merge_required()
            || isset(written.value(), "engine").is_some()
        {
            return;
        }
        out.push(
            Diagnostic::new(
                Self::RULE,
                written.location(file.id),
                format!(
                    "SEARCH_CONFIGURATION replaces the generated search configuration (no `_merge`) but names no `engine`: {} stops the deploy",
                    cite(111)
                ),
            )
            .help("add `_merge: true` to change only some options, or write `engine:` (opensearch, elasticsearch7...)"),
        );
    }
}
