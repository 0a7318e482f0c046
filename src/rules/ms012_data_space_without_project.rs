use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::{paths, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a site that sets `services_connector/services_id/environment_id` (the data space)
    /// without `services_connector/services_id/project_id` (the SaaS project), or the reverse,
    /// after config.php, the env file and `CONFIG__` variables are merged.
    ///
    /// ## Why it matters
    /// A data space belongs to one SaaS project. On `app:config:import` and `config:set`,
    /// Magento_ServicesId checks the pair against Adobe's registry: a project id alone
    /// **deletes** the data space id (the site then feeds no data space at all), and a data
    /// space id whose project is not configured fails with "Requested environment does not belong
    /// to the configured project." The admin shows both fields as read-only once either is
    /// written in a file, so the half-set pair cannot be completed there.
    ///
    /// ## Example
    /// `app/etc/env.staging.php`:
    /// ```php
    /// 'services_id' => [
    ///     'environment_id' => '8eb8e3be-728d-4dea-8875-000000000002',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Write both ids together, in the same file: the project id from the Services Connector
    /// admin and a data space id of that project.
    ///
    /// ## Source
    /// - `magento/module-services-id` 3.3 `etc/di.xml`, `Plugin/ProjectIdOnConfigImport.php`, `Plugin/EnvironmentIdOnConfigImport.php` (run on `app:config:import` and `config:set`); public copy: <https://github.com/controlaltdelete-nl/magento2-code-tracker/tree/HEAD/vendor/magento/module-services-id>
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`getDisabledFields`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas>
    pub struct DataSpaceWithoutProject;
    code: "MS012", name: "data-space-without-project", severity: Error
}

impl Rule for DataSpaceWithoutProject {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let environment_path = paths::DEFAULT_ENVIRONMENT_ID;
        let project_path = paths::DEFAULT_PROJECT_ID;
        let environment = fleet.system_setting(site, environment_path);
        let project = fleet.system_setting(site, project_path);
        // A dynamic or empty value on the present side is never judged; a dynamic value on the
        // missing side counts as set.
        let (present, present_path, what, missing) = match (&environment, &project) {
            (Some(e), p) if e.text().is_some() && !p.as_ref().is_some_and(|p| p.is_set()) => (
                e,
                environment_path,
                "data space id `environment_id`",
                "project_id",
            ),
            (e, Some(p)) if p.text().is_some() && !e.as_ref().is_some_and(|e| e.is_set()) => {
                (p, project_path, "project id `project_id`", "environment_id")
            }
            _ => return,
        };
        let value = present.text().unwrap_or_default();
        out.push(
            Diagnostic::new(
                Self::RULE,
                present.system_location(present_path),
                format!(
                    "{} sets the {what} {value} but no `services_id/{missing}`",
                    fleet.site_phrase(site, &[present])
                ),
            )
            .help("write project_id and environment_id together: the SaaS project and one of its data spaces"),
        );
    }
}
