use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Installation};

declare_rule! {
    /// ## What it does
    /// Flags a relationship of `.magento.app.yaml` that names a service `.magento/services.yaml`
    /// does not define (`database: "mysql:mysql"` with no `mysql:` service), or whose value
    /// names no service at all.
    ///
    /// ## Why it matters
    /// A relationship connects the application to a service of `services.yaml` (`<service
    /// name>:<endpoint>`); the service name is the key in `services.yaml`, not its type. The
    /// cloud refuses a push whose relationship names a service that does not exist, and Cloud
    /// Docker (`ece-docker build:compose`) stops with "Service with name … could not be
    /// parsed". It usually follows a renamed service (`redis` → `cache`) or a relationship
    /// copied from another project. ece-tools has no error code for it: the environment is
    /// never built.
    ///
    /// ## Example
    /// `.magento/services.yaml` defines `mysql`, `cache` and `opensearch`;
    /// `.magento.app.yaml` has
    /// ```yaml
    /// relationships:
    ///     database: "mysql:mysql"
    ///     redis: "redis:redis"
    /// ```
    ///
    /// ## Fix
    /// Name a service `services.yaml` defines (`redis: "cache:redis"`), or add the service to
    /// `services.yaml`, or remove the relationship.
    ///
    /// ## Source
    /// - Adobe Commerce on Cloud Infrastructure guide, "Configure services" (a service is available to the application through the `relationships` property; `type: <name>:<version>`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/service/services-yaml>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Properties for application configuration" (`relationships`, e.g. `database: "mysql:mysql"`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/properties>
    /// - Cloud Docker for Commerce, `CloudSource.php` (takes the service name before `:` of each relationship and stops when `services.yaml` has no `type` for it): <https://github.com/magento/magento-cloud-docker/blob/1.3.6/src/Config/Source/CloudSource.php>
    pub struct RelationshipToUndefinedService;
    code: "EC051", name: "relationship-to-undefined-service", severity: Error
}

impl Rule for RelationshipToUndefinedService {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    // Without services.yaml in the tree there is nothing to compare with.
    let Some((services_file, services)) = project.services_yaml else {
        return;
    };
    let defined = || {
        let names: Vec<&str> = services
            .value
            .entries()
            .iter()
            .filter_map(|e| e.key.as_str())
            .collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    let services_location =
        crate::diagnostic::Location::new(services_file, crate::syntax::Span::empty_at(0));
    for relationship in project.relationships() {
        let message = match &relationship.service {
            Some(service) if project.service(service).is_some() => continue,
            Some(service) => format!(
                "relationship `{}` names the service `{service}`, which .magento/services.yaml does not define",
                relationship.name
            ),
            None => format!(
                "relationship `{}` names no service: write it as `<service>:<endpoint>`",
                relationship.name
            ),
        };
        out.push(
            Diagnostic::new(
                RelationshipToUndefinedService::RULE,
                relationship.location.clone(),
                message,
            )
            .related(
                services_location.clone(),
                format!(".magento/services.yaml defines: {}", defined()),
            )
            .help("name a service defined in .magento/services.yaml (its key, not its type), add the service there, or remove the relationship"),
        );
    }
}
