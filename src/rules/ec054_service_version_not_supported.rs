use super::Rule;
use crate::cloud::{describe, unsupported, Project};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::Fleet;

/// The services ece-tools' ServiceVersion validator checks, by the name it looks them up by.
const CHECKED: &[&str] = &[
    "rabbitmq",
    "redis",
    "redis-session",
    "elasticsearch",
    "opensearch",
    "database",
];

declare_rule! {
    /// ## What it does
    /// Flags a service of `.magento/services.yaml`, reached through a relationship ece-tools
    /// reads (`database`, `redis`, `redis-session`, `elasticsearch`, `opensearch`, `rabbitmq`
    /// / `mq` / `amqp`), whose version the Magento version of composer.lock does not support
    /// by ece-tools' compatibility table; ece-tools' deploy warns about it (ece-tools 2017
    /// WARN_SERVICE_VERSION_NOT_COMPATIBLE).
    ///
    /// ## Why it matters
    /// Each Magento release is tested with a set of service versions; outside it, indexing,
    /// sessions or queues can break in ways that show only under load. ece-tools checks the
    /// versions the environment reports on every deploy and warns; this finds it when the
    /// Magento upgrade or the `services.yaml` change is committed.
    ///
    /// The table changes with every ece-tools release (newer ones add service versions), so a
    /// project is judged only when composer.lock locks an ece-tools release whose table
    /// magelint bundles (data/ece-tools/services.json: 2002.1.9 to 2002.1.17, from the public
    /// ece-tools repository); with any other release, or none locked, the rule says nothing.
    /// `services.yaml` sets the services of integration environments (and Starter); Pro
    /// Staging and Production run what Adobe provisions.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.6-p3 and magento/ece-tools 2002.1.17,
    /// which support MariaDB `>=10.6 <10.7` for it; `.magento/services.yaml` has
    /// ```yaml
    /// mysql:
    ///     type: mysql:10.4
    /// ```
    ///
    /// ## Fix
    /// Change the service's `type:` to a version the Magento version supports (for Pro
    /// Staging and Production, ask Adobe Support to upgrade the service), or upgrade
    /// ece-tools if a newer release supports the version you run.
    ///
    /// ## Source
    /// - ece-tools, `ServiceVersion.php` (checks RabbitMQ, Redis, Redis for sessions, Elasticsearch, OpenSearch and the database; warning 2017): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ServiceVersion.php>
    /// - ece-tools, `Validator.php` (`MAGENTO_SUPPORTED_SERVICE_VERSIONS`: per service, the first Magento range matching gives the supported versions): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Service/Validator.php>
    /// - ece-tools, `Database.php`, `Redis/Version.php`, `RabbitMq.php`, `Search/AbstractService.php` (a service's version is the part after `:` of its relationship's `type`): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Service/Database.php>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Configure services" (`type: <name>:<version>`; integration environments): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/service/services-yaml>
    pub struct ServiceVersionNotSupported;
    code: "EC054", name: "service-version-not-supported", severity: Warning, ece_tools: [2017]
}

impl Rule for ServiceVersionNotSupported {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let Some((ece_tools, release)) = project.ece_tools_release() else {
        return;
    };
    let Some(magento) = project.magento() else {
        return;
    };
    // A service of the table without a range for this Magento makes ece-tools give up.
    let Some(supported) = release.supported_for(&magento.version) else {
        return;
    };
    for name in CHECKED {
        let Some(deployed) = project.deployed(name) else {
            continue;
        };
        if deployed.version == "latest" {
            continue;
        }
        let Some(constraint) = unsupported(&supported, deployed.name, &deployed.version) else {
            continue;
        };
        let problem = match constraint {
            None => format!(
                "ece-tools release {} supports no {} version for it",
                release.newest(),
                deployed.name
            ),
            Some(versions) => format!(
                "ece-tools release {} supports `{versions}` for it",
                release.newest()
            ),
        };
        out.push(
            Diagnostic::new(
                ServiceVersionNotSupported::RULE,
                deployed.service.location.clone(),
                format!(
                    "{} is not supported with Magento {}: {problem} ({})",
                    describe(&deployed),
                    magento.version,
                    cite(2017)
                ),
            )
            .related(
                deployed.relationship.location.clone(),
                format!(
                    "ece-tools reads it through the relationship `{}`",
                    deployed.relationship.name
                ),
            )
            .related(
                magento.location.clone(),
                magento.source(),
            )
            .related(
                ece_tools.location.clone(),
                format!("and magento/ece-tools version {}", ece_tools.version),
            )
            .help(match constraint {
                Some(versions) => format!(
                    "set `type:` of `{}` to a version satisfying `{versions}` (Pro Staging and Production: ask Adobe Support)",
                    deployed.service.name
                ),
                None => format!(
                    "remove the `{}` relationship, or upgrade Magento to a version that supports the service",
                    deployed.relationship.name
                ),
            }),
        );
    }
}
