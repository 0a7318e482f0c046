use super::Rule;
use crate::cloud::{minor_satisfies, Project};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::composer_lock::locked_packages;
use crate::model::{Fleet, Installation};
use crate::semver::Constraint;
use std::collections::HashMap;

/// How many refusing packages a finding names (a Magento lock has hundreds of modules that
/// share one PHP constraint).
const NAMED: usize = 3;

declare_rule! {
    /// ## What it does
    /// Flags a `.magento.app.yaml` PHP (`type: php:8.1`) that packages locked in composer.lock
    /// (`packages`, and the project's own `platform` requirement) do not accept: no release of
    /// that PHP minor version satisfies their `require.php`.
    ///
    /// ## Why it matters
    /// The build hook runs `composer install`, which checks every locked package's platform
    /// requirements against the PHP of the container and stops when one is not met: the build
    /// fails before ece-tools runs, so ece-tools has no error code for it. It happens after
    /// upgrading Magento (2.4.7 requires PHP 8.1 to 8.3) without changing `type:`, or the
    /// other way round.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.7-p3 (`require.php`:
    /// `~8.1.0||~8.2.0||~8.3.0`); `.magento.app.yaml` has
    /// ```yaml
    /// type: php:7.4
    /// ```
    ///
    /// ## Fix
    /// Set `type:` to a PHP version every locked package accepts, or update the packages
    /// (`composer update`) for the PHP you run. A lock written with `config.platform.php`
    /// (`platform-overrides`) is not judged: Composer then installs for that PHP.
    ///
    /// ## Source
    /// - Composer documentation, "Platform packages" (`php` requirements are checked against the running PHP; `config.platform` overrides it): <https://getcomposer.org/doc/01-basic-usage.md#platform-packages>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Properties for application configuration" (`type: php:<version>`; the build hook runs `composer install`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/properties>
    pub struct PhpVersionNotInstallable;
    code: "EC053", name: "php-version-not-installable", severity: Error
}

impl Rule for PhpVersionNotInstallable {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_focused_installation(fleet, check, out);
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let project = Project::of(fleet, installation);
    let (Some(php), Some((lock, root))) = (project.php(), project.composer_lock) else {
        return;
    };
    // Installed for an overridden PHP, the lock says nothing about the container's.
    if root
        .get("platform-overrides")
        .is_some_and(|o| o.get("php").is_some())
    {
        return;
    }
    // Hundreds of modules share a handful of constraints: judge each text once.
    let mut judged: HashMap<String, Option<bool>> = HashMap::new();
    let mut refuse = |constraint: &str| {
        *judged.entry(constraint.to_string()).or_insert_with(|| {
            Constraint::parse(constraint).and_then(|c| minor_satisfies(&php.version, &c))
        }) == Some(false)
    };
    let mut refusing: Vec<(String, Location)> = Vec::new();
    for package in locked_packages(lock, root) {
        if package.dev {
            continue;
        }
        let Some(required) = package.php.as_deref() else {
            continue;
        };
        if refuse(required) {
            refusing.push((
                format!(
                    "{} {}, which requires PHP `{required}`",
                    package.name, package.version
                ),
                package.location.clone(),
            ));
        }
    }
    if let Some(node) = root.get("platform").and_then(|p| p.entry("php")) {
        if let Some(required) = node.value.value.as_str() {
            if refuse(required) {
                let span = node.key_span.get().unwrap_or(node.value.span);
                refusing.push((
                    format!("the project's composer.json, which requires PHP `{required}`"),
                    Location::new(lock, span).with_pointer("/platform/php"),
                ));
            }
        }
    }
    let Some((first, _)) = refusing.first() else {
        return;
    };
    let others = match refusing.len() {
        1 => String::new(),
        n => format!(" (and {} more in composer.lock)", n - 1),
    };
    let mut diagnostic = Diagnostic::new(
        PhpVersionNotInstallable::RULE,
        php.location.clone(),
        format!(
            "PHP {} is refused by {first}{others}: composer install stops the build",
            php.version
        ),
    )
    .help("set `type:` in .magento.app.yaml to a PHP version the locked packages accept, or update the packages for this PHP");
    for (what, location) in refusing.iter().take(NAMED) {
        diagnostic = diagnostic.related(location.clone(), format!("locked: {what}"));
    }
    out.push(diagnostic);
}
