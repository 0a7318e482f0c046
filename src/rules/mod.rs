//! check: the rule registry. One rule per file; its doc comment is its documentation.
//!
//! Adding a rule: write `src/rules/<code>_<name>.rs` with `declare_rule!` and a `Rule` impl, then
//! add its `mod` line to the registry below.

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

/// Checks the Cloud project of every installation in focus on which ece-tools runs (the one
/// gate, `Project::runs_ece_tools`): ece-tools' validators judge only those.
pub(crate) fn each_ece_tools_project(
    fleet: &Fleet<'_>,
    check: impl Fn(
            &Fleet<'_>,
            &crate::model::Installation,
            &crate::cloud::Project<'_>,
            &mut Vec<Diagnostic>,
        ) + Sync,
    out: &mut Vec<Diagnostic>,
) {
    each_focused_installation(
        fleet,
        |fleet, installation, out| {
            let project = crate::cloud::Project::of(fleet, installation);
            if project.runs_ece_tools() {
                check(fleet, installation, &project, out);
            }
        },
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

// The registry: one `mod` line per rule, in code order. build.rs reads these lines and writes
// `RULES` and the re-exports of the rules' structs from them.
mod e000_internal_error;
mod e001_parse_error;
mod e002_not_a_config_array;
mod e003_unreadable_file;

// SCH: the schema checks
mod sch001_unknown_key;
mod sch002_wrong_type;
mod sch003_invalid_value;
mod sch004_missing_key;

// MS: Magento Services
mod ms001_production_data_space_on_non_production;
mod ms002_website_code_collision;
mod ms003_services_setting_outside_global_scope;
mod ms004_testing_data_space_on_open_source;
mod ms005_data_space_quota_exceeded;
mod ms006_invalid_key_environment;
mod ms007_incomplete_key_pair;
mod ms008_plaintext_secret_in_repository;
mod ms009_encrypted_key_in_shared_config;

mod ms010_malformed_private_key;
mod ms011_same_production_and_sandbox_key;
mod ms012_data_space_without_project;
mod ms013_testing_data_space_on_production;
mod ms014_data_space_type_conflict;
mod ms015_alternate_data_space_on_production;
mod ms016_sandbox_keys_on_production;
mod ms017_data_space_pinned_in_shared_config;

mod mg001_invalid_website_code;
mod mg002_invalid_store_code;
mod mg003_duplicate_key;
mod mg004_developer_mode_on_production;
mod mg005_unreachable_config_variable;
mod mg006_unknown_scope_code;
mod mg007_default_website_count;
mod mg008_dynamic_value;
mod ml001_unused_suppression;
mod ml002_suppression_without_reason;
mod ml003_unknown_tier;
mod ml004_stale_baseline_entry;
mod ym001_byte_order_mark;
mod ym002_refused_duplicate_key;
mod ym003_ambiguous_scalar;
mod ym004_php_object_tag;

// EC001-EC049: ece-tools' validators, decided before the deploy
mod ec001_incomplete_database_configuration;
mod ec002_session_configuration_without_save;
mod ec003_search_configuration_without_engine;
mod ec004_resource_without_connection;
mod ec005_redis_cache_without_server;
mod ec006_invalid_split_db_value;
mod ec007_custom_split_connection;
mod ec008_removed_variable;
mod ec010_mysql_search_engine;
mod ec011_elasticsuite_integrity;
mod ec012_split_db_on_magento_version;
mod ec013_variable_not_for_magento_version;
mod ec014_ignored_scd_option;
mod ec015_configured_state_not_ideal;
// EC050+: ece-tools' validators that read more than .magento.env.yaml
mod ec050_mage_mode_variable;
mod ec051_relationship_to_undefined_service;
mod ec052_php_version_not_recommended;
mod ec053_php_version_not_installable;
mod ec054_service_version_not_supported;
mod ec055_service_past_end_of_life;
mod ec056_search_service_missing;
mod ec057_removed_braintree_variable;
mod ec058_config_php_without_modules;
mod ec062_unused_search_service;
mod ec063_solr_relationship;
mod ec065_elasticsearch_version_mismatch;
mod ec066_composer_autoload_without_mvc_controller;
mod ec067_config_php_not_committed;
mod ec068_build_options_ini;
mod ec069_baler_cannot_be_used;
mod ec070_error_report_nesting_level;
mod ec071_split_db_without_relationship;

include!(concat!(env!("OUT_DIR"), "/rules_registry.rs"));

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
