use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a data space id whose type is stated differently in different places: Production
    /// in one and Testing in another (`services_id/environment` in env files and config.php,
    /// `data-spaces` in `.magelint.yaml`).
    ///
    /// ## Why it matters
    /// A data space has one type in Adobe's registry; Magento writes it to
    /// `services_id/environment` when the id is imported. Two different types for one id mean
    /// one of the statements is stale or copied from another environment, usually together with
    /// the wrong id, and the data space rules (MS001, MS013) then judge the sites by whichever
    /// statement is strongest.
    ///
    /// ## Example
    /// `.magelint.yaml` declares `{ id: 8eb8e3be-…-000000000001, type: production }` while
    /// `app/etc/env.staging.php` writes the same id with `'environment' => 'Testing'`.
    ///
    /// ## Fix
    /// Check the data space in the Services Connector admin (or Adobe's registry), then correct
    /// the wrong statement, and the id next to it if it was copied from elsewhere.
    ///
    /// ## Source
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`CONFIG_PATH_ENVIRONMENT_TYPE`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    /// - `magento/module-services-id` 3.3 `Plugin/EnvironmentIdOnConfigImport.php` (writes the registry's type of the data space); public copy: <https://github.com/controlaltdelete-nl/magento2-code-tracker/tree/HEAD/vendor/magento/module-services-id>
    pub struct DataSpaceTypeConflict;
    code: "MS014", name: "data-space-type-conflict", severity: Error
}

impl Rule for DataSpaceTypeConflict {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        for (id, facts) in &fleet.data_spaces {
            // Use by a production site is an inference, not a statement: MS013 judges that.
            let explicit: Vec<_> = facts.evidence.iter().filter(|e| e.is_explicit()).collect();
            let Some(strongest) = facts.kind().filter(|e| e.is_explicit()) else {
                continue;
            };
            // The first statement that contradicts the strongest one carries the diagnostic.
            let Some(contradiction) = explicit.iter().find(|e| e.kind != strongest.kind) else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                Self::RULE,
                contradiction.location.clone(),
                format!(
                    "data space {id} is {} here but {} elsewhere",
                    contradiction.kind.describe(),
                    strongest.kind.describe()
                ),
            )
            .help("check the data space's type in the Services Connector admin and correct the wrong statement (and the id beside it, if copied)");
            for other in explicit
                .iter()
                .filter(|e| e.location != contradiction.location)
            {
                diagnostic = diagnostic.related(
                    other.location.clone(),
                    format!("{}: {}", other.kind.describe(), other.reason(fleet)),
                );
            }
            out.push(diagnostic);
        }
    }
}
