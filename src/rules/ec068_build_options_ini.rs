use super::Rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::git::GitStatus;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags a committed `build_options.ini` beside `app/` in a project that ece-tools builds:
    /// ece-tools' build warns that the file is no longer supported (ece-tools 1002
    /// WARN_UNSUPPORTED_BUILDS_OPTION_INI).
    ///
    /// ## Why it matters
    /// Old Magento Cloud tooling read build options (`scd_strategy`, `skip_scd`,
    /// `exclude_themes`...) from `build_options.ini`; ece-tools reads the `build` stage of
    /// `.magento.env.yaml` instead and ignores the file, so the options it holds have no
    /// effect: the build runs with defaults while the file suggests otherwise.
    ///
    /// ## Example
    /// ```ini
    /// scd_strategy=compact
    /// exclude_themes=magento/luma
    /// ```
    ///
    /// ## Fix
    /// Move each option to the `build` stage of `.magento.env.yaml` (`SCD_STRATEGY`,
    /// `SCD_EXCLUDE_THEMES`...; see "Build variables") and delete `build_options.ini`.
    ///
    /// ## Source
    /// - ece-tools, `Build/UnsupportedBuildOptionsIni.php` (the file exists: 1002): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/UnsupportedBuildOptionsIni.php>
    /// - ece-tools, `schema.error.yaml` (1002, build, validate-config, warning): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud, "Build variables": <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-build>
    pub struct BuildOptionsIni;
    code: "EC068", name: "build-options-ini", severity: Warning, about_repository: true, ece_tools: [1002]
}

impl Rule for BuildOptionsIni {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(
            fleet,
            |fleet, installation, _, out| check(fleet, installation, out),
            out,
        );
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let Some(ini) = installation.build_options_ini else {
        return;
    };
    // Only what is committed reaches the build.
    if fleet.files[ini].source.git == GitStatus::Ignored {
        return;
    }
    out.push(
        Diagnostic::new(
            BuildOptionsIni::RULE,
            Location::new(ini, Span::empty_at(0)),
            format!(
                "ece-tools no longer reads build_options.ini: its options have no effect ({})",
                cite(1002)
            ),
        )
        .help("move the options to the `build` stage of .magento.env.yaml (SCD_STRATEGY, SCD_EXCLUDE_THEMES...) and delete build_options.ini"),
    );
}
