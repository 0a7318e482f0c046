use super::Rule;
use crate::cloud::{minor_satisfies, Project, ECE_TOOLS, MAGENTO_BASE};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::model::Fleet;
use crate::semver::Constraint;

declare_rule! {
    /// ## What it does
    /// Flags a `.magento.app.yaml` PHP (`type: php:8.3`) that does not satisfy the last
    /// alternative of the PHP constraint of `magento/magento2-base` in composer.lock: for
    /// `~8.2.0||~8.3.0||~8.4.0`, ece-tools recommends `~8.4.0` and warns at deploy on anything
    /// else (ece-tools 2007 WARN_UPDATE_PHP_VERSION).
    ///
    /// ## Why it matters
    /// ece-tools' deploy checks the running PHP against the newest PHP the installed Magento
    /// supports, and warns on every deploy until the application runs it: the older PHP
    /// releases a Magento version accepts reach their end of life first. A PHP the constraint
    /// does not accept at all is EC053's: the build stops before the deploy.
    ///
    /// The check is ece-tools 2002.1's: it applies when composer.lock locks a 2002.1 release.
    /// ece-tools 2002.2 changed its PHP validator (release notes of 2002.2.10) and its source is
    /// not public, so for a project on 2002.2 the rule says nothing.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.8-p1, which requires PHP
    /// `~8.2.0||~8.3.0||~8.4.0`; `.magento.app.yaml` has
    /// ```yaml
    /// type: php:8.3
    /// ```
    ///
    /// ## Fix
    /// Set `type:` to a PHP version satisfying the recommended constraint (`php:8.4`), after
    /// checking the project's extensions with it, or accept the warning until then.
    ///
    /// ## Source
    /// - ece-tools, `PhpVersion.php` (splits magento/magento2-base's `require.php` at `|`, takes the last part, and warns with 2007 when the running PHP does not match it): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/PhpVersion.php>
    /// - ece-tools, `schema.error.yaml` (2007, deploy, validate-config, warning): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Properties for application configuration" (`type: php:<version>`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/properties>
    /// - Adobe Commerce on Cloud Infrastructure guide, "ECE-Tools release notes" (2002.2.10: PHP validator updated): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/release-notes/ece-tools-package>
    pub struct PhpVersionNotRecommended;
    code: "EC052", name: "php-version-not-recommended", severity: Warning, ece_tools: [2007]
}

impl Rule for PhpVersionNotRecommended {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(php), Some(base)) = (project.php(), project.locked(MAGENTO_BASE)) else {
        return;
    };
    // The validator as ece-tools 2002.1 has it (2002.2's is not public).
    let generation_known = project.locked(ECE_TOOLS).is_some_and(|ece| {
        ece.version
            .trim_start_matches(['v', 'V'])
            .starts_with("2002.1.")
    });
    if !generation_known {
        return;
    }
    let Some(required) = base.php.as_deref() else {
        return;
    };
    // A PHP the constraint refuses outright fails the build (EC053); ece-tools never deploys.
    let whole = Constraint::parse(required);
    if whole
        .as_ref()
        .and_then(|c| minor_satisfies(&php.version, c))
        != Some(true)
    {
        return;
    }
    // ece-tools splits at each `|` (so `a||b` has an empty middle part) and takes the last.
    let last = required.rsplit('|').next().unwrap_or(required).trim();
    let Some(recommended) = Constraint::parse(last) else {
        return;
    };
    if minor_satisfies(&php.version, &recommended) != Some(false) {
        return;
    }
    out.push(
        Diagnostic::new(
            PhpVersionNotRecommended::RULE,
            php.location.clone(),
            format!(
                "PHP {} is not the PHP ece-tools recommends for Magento {}: magento/magento2-base requires PHP `{required}`, and ece-tools wants its last alternative `{last}` ({})",
                php.version,
                base.version,
                cite(2007)
            ),
        )
        .related(
            base.location.clone(),
            format!("composer.lock locks {MAGENTO_BASE} {}", base.version),
        )
        .help(format!(
            "set `type:` in .magento.app.yaml to a PHP version satisfying `{last}`"
        )),
    );
}
