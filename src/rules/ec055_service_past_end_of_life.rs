use super::Rule;
use crate::cloud::{describe, today, Date, Project, Release, TODAY_VARIABLE};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::ece_tools::cite;
use crate::model::Fleet;
use crate::semver::Constraint;

/// ece-tools' notice period: a service this many months or less from its end of life gets a
/// notice.
const NOTICE_MONTHS: u32 = 3;

/// The services ece-tools' ServiceEol validator checks (PHP is `.magento.app.yaml`'s), by the
/// name it looks them up by.
const CHECKED: &[&str] = &[
    "elasticsearch",
    "rabbitmq",
    "redis",
    "redis-session",
    "database",
];

declare_rule! {
    /// ## What it does
    /// Flags the PHP of `.magento.app.yaml` and the services ece-tools reads through
    /// relationships (Elasticsearch, RabbitMQ, Redis, Redis for sessions, the database) whose
    /// version has passed its end of life by ece-tools' end-of-life table; ece-tools' deploy
    /// warns about it (ece-tools 2018 WARN_SERVICE_PASSED_EOL). A version at most three months
    /// from its end of life gets ece-tools' notice (info here, no code).
    ///
    /// ## Why it matters
    /// A service past its end of life gets no security fixes, and Adobe stops supporting it on
    /// the cloud; upgrading takes planning (a database or search upgrade is done with Adobe
    /// Support on Pro). ece-tools warns on each deploy; this says so at commit time.
    ///
    /// Dates are compared with today's date, or with the date `MAGELINT_TODAY` names
    /// (`MAGELINT_TODAY=2024-06-30 magelint check .`: a review as of a day, and reproducible
    /// results in CI). The table is ece-tools' own `config/eol.yaml` of the release composer.lock
    /// locks (data/ece-tools/services.json: 2002.1.9 to 2002.1.17, from the public ece-tools
    /// repository), so the verdict is the one that release gives; with any other release, or
    /// none locked, the rule says nothing. Like ece-tools, the database is looked up as MariaDB.
    ///
    /// ## Example
    /// composer.lock locks magento/ece-tools 2002.1.17, whose table ends PHP 7.4 on
    /// 2022-11-28; `.magento.app.yaml` has
    /// ```yaml
    /// type: php:7.4
    /// ```
    ///
    /// ## Fix
    /// Upgrade the service (`type:` in `.magento.app.yaml` or `.magento/services.yaml`; on Pro
    /// Staging and Production, with Adobe Support) to a version the Magento version supports.
    ///
    /// ## Source
    /// - ece-tools, `EolValidator.php` (the services checked, `<version>.x` matching, passed EOL is a warning, three months before it a notice): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Service/EolValidator.php>
    /// - ece-tools, `ServiceEol.php` (warning 2018; notices carry no code): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ServiceEol.php>
    /// - ece-tools, `eol.yaml` (the end-of-life dates): <https://github.com/magento/ece-tools/blob/2002.1.17/config/eol.yaml>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Configure services": <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/service/services-yaml>
    pub struct ServicePastEndOfLife;
    code: "EC055", name: "service-past-end-of-life", severity: Warning, ece_tools: [2018]
}

impl Rule for ServicePastEndOfLife {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        // A malformed MAGELINT_TODAY is reported by the front end; no date, no verdict.
        let Ok(today) = today() else {
            return;
        };
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, today, out), out);
    }
}

/// One versioned thing to judge: its name in the end-of-life table, its version, how to name
/// it, where it is written, and what else to point at.
struct Judged {
    table: &'static str,
    version: String,
    described: String,
    location: Location,
    related: Vec<(Location, String)>,
}

fn check(project: &Project<'_>, today: Date, out: &mut Vec<Diagnostic>) {
    let Some((ece_tools, release)) = project.ece_tools_release() else {
        return;
    };
    let mut judged = Vec::new();
    if let Some(php) = project.php() {
        judged.push(Judged {
            table: "php",
            described: format!("PHP {} (`type:` in .magento.app.yaml)", php.version),
            version: php.version,
            location: php.location,
            related: Vec::new(),
        });
    }
    for name in CHECKED {
        let Some(deployed) = project.deployed(name) else {
            continue;
        };
        // ece-tools looks the database up as MariaDB and Redis for sessions as Redis.
        let table = match deployed.name {
            "redis" | "redis-session" => "redis",
            "mariadb" | "mysql" => "mariadb",
            "rabbitmq" => "rabbitmq",
            _ => "elasticsearch",
        };
        judged.push(Judged {
            table,
            described: describe(&deployed),
            version: deployed.version.clone(),
            location: deployed.service.location.clone(),
            related: vec![(
                deployed.relationship.location.clone(),
                format!(
                    "ece-tools reads it through the relationship `{}`",
                    deployed.relationship.name
                ),
            )],
        });
    }
    for item in judged {
        let Some(eol) = end_of_life(release, item.table, &item.version) else {
            continue;
        };
        let passed = eol <= today;
        let message = if passed {
            format!(
                "{} passed its end of life on {eol} ({})",
                item.described,
                cite(2018)
            )
        } else if today.months_until(&eol) <= NOTICE_MONTHS {
            format!(
                "{} reaches its end of life on {eol} (a notice in the deploy log)",
                item.described
            )
        } else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(ServicePastEndOfLife::RULE, item.location, message)
            .help(format!(
                "upgrade it to a version the Magento version supports (the date is from the end-of-life table of ece-tools release {}; {TODAY_VARIABLE}=YYYY-MM-DD judges as of another day)",
                release.newest()
            ));
        if !passed {
            diagnostic = diagnostic.severity(Severity::Info);
        }
        for (location, text) in item.related {
            diagnostic = diagnostic.related(location, text);
        }
        diagnostic = diagnostic.related(
            ece_tools.location.clone(),
            format!(
                "composer.lock locks magento/ece-tools version {}",
                ece_tools.version
            ),
        );
        out.push(diagnostic);
    }
}

/// The end of life of `version` of `service` by `release`'s table: the first entry whose
/// `<version>.x` the version satisfies, if it has a date.
fn end_of_life(release: &Release, service: &str, version: &str) -> Option<Date> {
    let entries = release.eol.get(service)?;
    let entry = entries
        .iter()
        .find(|e| Constraint::satisfies(version, &format!("{}.x", e.version)).unwrap_or(false))?;
    Date::parse(entry.eol.as_deref()?)
}
