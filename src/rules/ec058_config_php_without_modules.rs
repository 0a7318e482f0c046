use super::Rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Fleet, Installation};
use crate::syntax::{Span, Value};

declare_rule! {
    /// ## What it does
    /// Flags an `app/etc/config.php` of an Adobe Commerce Cloud project (an installation with
    /// `.magento.app.yaml`, built by ece-tools) that has no `modules` section: ece-tools' build warns about it
    /// (ece-tools 1003 WARN_MISSED_MODULE_SECTION).
    ///
    /// ## Why it matters
    /// `modules` lists which modules are enabled; it is the part of config.php every
    /// installation has (`bin/magento module:enable` and `app:config:dump` write it). Without
    /// it the build enables every module it finds, including ones you disabled on purpose,
    /// and the committed file no longer describes the application.
    ///
    /// ## Example
    /// ```php
    /// <?php
    /// return [
    ///     'scopes' => [ /* … */ ],
    /// ];
    /// ```
    ///
    /// ## Fix
    /// Restore the `modules` section: run `bin/magento module:enable --all` (then disable the
    /// modules you do not want) or `bin/magento app:config:dump` locally, and commit
    /// `app/etc/config.php`.
    ///
    /// ## Source
    /// - ece-tools, `Build/ModulesExists.php` (config.php without `modules`: warning 1003): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/ModulesExists.php>
    /// - ece-tools, `schema.error.yaml` (1003, build, validate-config, warning): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce Configuration guide, "config.php reference" (the `modules` section): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-configphp>
    pub struct ConfigPhpWithoutModules;
    code: "EC058", name: "config-php-without-modules", severity: Warning, ece_tools: [1003]
}

impl Rule for ConfigPhpWithoutModules {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(
            fleet,
            |fleet, installation, _, out| check(fleet, installation, out),
            out,
        );
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    // ece-tools builds Cloud projects that use it.
    let (Some(config), Some(_)) = (installation.config_php, installation.app_yaml) else {
        return;
    };
    let Some(root) = fleet
        .files
        .get(config)
        .and_then(|f| f.facts.as_ref())
        .map(|f| &f.root)
    else {
        return;
    };
    // `isset`: a `modules` key holding null is missing too.
    let present = root
        .get("modules")
        .is_some_and(|m| !matches!(m.value, Value::Null));
    if present {
        return;
    }
    out.push(
        Diagnostic::new(
            ConfigPhpWithoutModules::RULE,
            Location::new(config, Span::empty_at(root.span.start as usize)),
            format!(
                "config.php has no `modules` section ({})",
                crate::ece_tools::cite(1003)
            ),
        )
        .help("run `bin/magento module:enable --all` (then disable what you do not want) or `bin/magento app:config:dump`, and commit app/etc/config.php"),
    );
}
