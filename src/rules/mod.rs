//! check: the rule registry. One rule per file; its doc comment is its documentation.
//!
//! Adding a rule: write `src/rules/<code>_<name>.rs` with `declare_rule!` and a `Rule` impl, then
//! add one line to `registry!` below.

pub use crate::diagnostic::RuleMeta;
use crate::diagnostic::{Diagnostic, FileId};
use crate::discover::SourcePath;
use crate::model::{Fleet, Site};
use crate::syntax::Document;

/// Gives a rule type its metadata (implemented by `declare_rule!`).
pub trait RuleMetadata {
    const META: RuleMeta;
}

/// One file as the per-file rules see it.
pub struct FileContext<'a> {
    pub id: FileId,
    pub source: &'a SourcePath,
    pub text: &'a str,
    pub document: &'a Document,
    /// The file's schema findings (SCH001-SCH004), computed once for the four rules.
    pub schema: std::cell::OnceCell<Vec<crate::schema::Located>>,
}

impl FileContext<'_> {
    /// Every schema finding of the file (all four problems); validated on first use only.
    pub fn schema_findings(&self) -> &[crate::schema::Located] {
        self.schema
            .get_or_init(|| crate::schema::diagnose(self.id, &self.source.kind, self.document))
    }

    /// Reports the file's schema findings of one problem as `rule`'s diagnostics (the file is
    /// validated once for the four SCH rules).
    pub fn push_schema_findings(
        &self,
        problem: crate::schema::Problem,
        rule: &'static RuleMeta,
        out: &mut Vec<Diagnostic>,
    ) {
        for found in self
            .schema_findings()
            .iter()
            .filter(|f| f.problem == problem)
        {
            let mut diagnostic =
                Diagnostic::new(rule, found.location.clone(), found.message.clone());
            diagnostic.help = found.help.clone();
            if let Some(severity) = found.severity {
                diagnostic.severity = severity;
            }
            out.push(diagnostic);
        }
    }
}

/// A check. Rules are pure: they read the model and push diagnostics.
pub trait Rule: Sync {
    /// Checks one parsed file on its own.
    fn check_file(&self, _file: &FileContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one site (config.php ⊕ env file ⊕ CONFIG__ variables).
    fn check_site(&self, _site: &Site, _fleet: &Fleet<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks the whole fleet at once (collisions between installations and repositories).
    fn check_fleet(&self, _fleet: &Fleet<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Checks every item on every core: a fleet rule's findings in item order, as a loop over
/// the items would give them.
pub(crate) fn each_in_parallel<T: Sync>(
    items: &[T],
    check: impl Fn(&T, &mut Vec<Diagnostic>) + Sync,
    out: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let found: Vec<Vec<Diagnostic>> = items
        .par_iter()
        .map(|item| {
            let mut found = Vec::new();
            check(item, &mut found);
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Checks every installation the fleet wants findings for (`Fleet::focus`), on every core:
/// the body of a rule that judges installation by installation.
pub(crate) fn each_focused_installation(
    fleet: &Fleet<'_>,
    check: impl Fn(&Fleet<'_>, &crate::model::Installation, &mut Vec<Diagnostic>) + Sync,
    out: &mut Vec<Diagnostic>,
) {
    each_in_parallel(
        &fleet.focused_installations(),
        |installation, out| check(fleet, installation, out),
        out,
    );
}

/// A rule in the registry.
pub struct Registered {
    pub meta: &'static RuleMeta,
    pub rule: &'static dyn Rule,
}

/// Declares a rule's struct and metadata from its doc comment.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        code: $code:literal, name: $kebab:literal, severity: $severity:ident
        $(, default_enabled: $enabled:literal)?
        $(, about_repository: $repository:literal)?
        $(, ece_tools: [$($ece:literal),* $(,)?])?
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $crate::rules::RuleMetadata for $name {
            const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $kebab,
                severity: $crate::diagnostic::Severity::$severity,
                default_enabled: true $(&& $enabled)?,
                about_repository: false $(|| $repository)?,
                doc: concat!($($doc, "\n"),*),
                ece_tools: &[$($($ece),*)?],
            };
        }

        impl $name {
            /// The rule's identity, as diagnostics carry it.
            pub const RULE: &'static $crate::rules::RuleMeta =
                &<$name as $crate::rules::RuleMetadata>::META;
        }
    };
}

macro_rules! registry {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*
        $(pub use $module::$rule;)*

        /// Every rule, in code order.
        pub static RULES: &[Registered] = &[
            $(Registered { meta: &<$module::$rule as RuleMetadata>::META, rule: &$module::$rule },)*
        ];
    };
}

registry! {
    e000_internal_error::InternalError,
    e001_parse_error::ParseError,
    e002_not_a_config_array::NotAConfigArray,
    e003_unreadable_file::UnreadableFile,

    // SCH
    sch001_unknown_key::UnknownKey,
    sch002_wrong_type::WrongType,
    sch003_invalid_value::InvalidValue,
    sch004_missing_key::MissingKey,
    ms001_production_data_space_on_non_production::ProductionDataSpaceOnNonProduction,
    ms002_website_code_collision::WebsiteCodeCollision,

    ms003_services_setting_outside_global_scope::ServicesSettingOutsideGlobalScope,
    ms004_testing_data_space_on_open_source::TestingDataSpaceOnOpenSource,
    ms005_data_space_quota_exceeded::DataSpaceQuotaExceeded,
    ms006_invalid_key_environment::InvalidKeyEnvironment,
    ms007_incomplete_key_pair::IncompleteKeyPair,
    ms008_plaintext_secret_in_repository::PlaintextSecretInRepository,
    ms009_encrypted_key_in_shared_config::EncryptedKeyInSharedConfig,

    ms010_malformed_private_key::MalformedPrivateKey,
    ms011_same_production_and_sandbox_key::SameProductionAndSandboxKey,
    ms012_data_space_without_project::DataSpaceWithoutProject,
    ms013_testing_data_space_on_production::TestingDataSpaceOnProduction,
    ms014_data_space_type_conflict::DataSpaceTypeConflict,
    ms015_alternate_data_space_on_production::AlternateDataSpaceOnProduction,
    ms016_sandbox_keys_on_production::SandboxKeysOnProduction,
    ms017_data_space_pinned_in_shared_config::DataSpacePinnedInSharedConfig,

    mg001_invalid_website_code::InvalidWebsiteCode,
    mg002_invalid_store_code::InvalidStoreCode,
    mg003_duplicate_key::DuplicateKey,
    mg004_developer_mode_on_production::DeveloperModeOnProduction,
    mg005_unreachable_config_variable::UnreachableConfigVariable,
    mg006_unknown_scope_code::UnknownScopeCode,
    mg007_default_website_count::DefaultWebsiteCount,
    mg008_dynamic_value::DynamicValue,
    ml001_unused_suppression::UnusedSuppression,
    ml002_suppression_without_reason::SuppressionWithoutReason,
    ml003_unknown_tier::UnknownTier,
    ml004_stale_baseline_entry::StaleBaselineEntry,
    ym001_byte_order_mark::ByteOrderMark,
    ym002_refused_duplicate_key::RefusedDuplicateKey,
    ym003_ambiguous_scalar::AmbiguousScalar,
    ym004_php_object_tag::PhpObjectTag,

    // EC001-EC049: ece-tools' validators, decided before the deploy
    ec001_incomplete_database_configuration::IncompleteDatabaseConfiguration,
    ec002_session_configuration_without_save::SessionConfigurationWithoutSave,
    ec003_search_configuration_without_engine::SearchConfigurationWithoutEngine,
    ec004_resource_without_connection::ResourceWithoutConnection,
    ec005_redis_cache_without_server::RedisCacheWithoutServer,
    ec006_invalid_split_db_value::InvalidSplitDbValue,
    ec007_custom_split_connection::CustomSplitConnection,
    ec008_removed_variable::RemovedVariable,
    ec010_mysql_search_engine::MysqlSearchEngine,
    ec011_elasticsuite_integrity::ElasticsuiteIntegrity,
    ec012_split_db_on_magento_version::SplitDbOnMagentoVersion,
    ec013_variable_not_for_magento_version::VariableNotForMagentoVersion,
    ec014_ignored_scd_option::IgnoredScdOption,
    ec015_configured_state_not_ideal::ConfiguredStateNotIdeal,
    // EC050+: ece-tools' validators that read more than .magento.env.yaml
    ec050_mage_mode_variable::MageModeVariable,
    ec051_relationship_to_undefined_service::RelationshipToUndefinedService,
    ec052_php_version_not_recommended::PhpVersionNotRecommended,
    ec053_php_version_not_installable::PhpVersionNotInstallable,
    ec054_service_version_not_supported::ServiceVersionNotSupported,
    ec055_service_past_end_of_life::ServicePastEndOfLife,
    ec056_search_service_missing::SearchServiceMissing,
    ec057_removed_braintree_variable::RemovedBraintreeVariable,
    ec058_config_php_without_modules::ConfigPhpWithoutModules,
    ec062_unused_search_service::UnusedSearchService,
    ec063_solr_relationship::SolrRelationship,
    ec065_elasticsearch_version_mismatch::ElasticsearchVersionMismatch,
}

/// The metadata of `code`, if it is a rule.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.meta.code == code).map(|r| r.meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_with_all_sections() {
        for rule in RULES {
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## Fix",
                "## Source",
            ] {
                assert!(
                    rule.meta.doc.contains(section),
                    "{} lacks {section}",
                    rule.meta.code
                );
            }
            assert!(!rule.meta.summary().is_empty(), "{}", rule.meta.code);
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.meta.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        for rule in RULES {
            let name = rule.meta.name;
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
        }
    }
}
