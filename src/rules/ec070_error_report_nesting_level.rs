use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::ece_tools::{cite, severity};
use crate::git::GitStatus;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

/// The variable that sets the nesting level instead of local.xml.
const NESTING_VARIABLE: &str = "MAGE_ERROR_REPORT_DIR_NESTING_LEVEL";

declare_rule! {
    /// ## What it does
    /// Flags a committed `pub/errors/local.xml` of a project ece-tools deploys when it sets no
    /// `report/dir_nesting_level` and `.magento.app.yaml` does not set
    /// `MAGE_ERROR_REPORT_DIR_NESTING_LEVEL` in `variables.env` (ece-tools 2003
    /// WARN_DIR_NESTING_LEVEL_NOT_CONFIGURED), and a `pub/errors/local.xml` that is not
    /// well-formed XML (ece-tools 2004 WARN_NOT_CORRECT_LOCAL_XML_FILE). Both are warnings of
    /// the deploy.
    ///
    /// ## Why it matters
    /// Magento writes each error report to `var/report/`, in subdirectories `dir_nesting_level`
    /// deep; with none, every report lands in one directory, which grows until listing it
    /// is slow. ece-tools' build writes a `pub/errors/local.xml` with the level only when the
    /// repository has none, so a committed file must carry it. The file is read as Symfony's
    /// XML decoder reads it: empty, malformed or with a `DOCTYPE`, it is refused; the level
    /// is the `dir_nesting_level` element inside the one `report` element (an attribute does
    /// not count). The variable may also be set on the Cloud project (outside the
    /// repository), which magelint cannot see.
    ///
    /// ## Example
    /// ```xml
    /// <config>
    ///     <report>
    ///         <action>print</action>
    ///     </report>
    /// </config>
    /// ```
    ///
    /// ## Fix
    /// Add `<dir_nesting_level>1</dir_nesting_level>` inside `<report>` (0 to 32), or set
    /// `MAGE_ERROR_REPORT_DIR_NESTING_LEVEL` in `.magento.app.yaml` `variables.env`; or delete
    /// the file and let the build write it from `ERROR_REPORT_DIR_NESTING_LEVEL`.
    ///
    /// ## Source
    /// - ece-tools, `Deploy/ReportDirNestingLevel.php` (the setting or the variable: 2003; an unreadable XML file: 2004): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/ReportDirNestingLevel.php>
    /// - ece-tools, `Step/Build/SetReportDirNestingLevel.php` (the build writes the file when none is committed): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Step/Build/SetReportDirNestingLevel.php>
    /// - Adobe Commerce on Cloud, "Build variables" (`ERROR_REPORT_DIR_NESTING_LEVEL`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-build>
    pub struct ErrorReportNestingLevel;
    code: "EC070", name: "error-report-nesting-level", severity: Warning, ece_tools: [2003, 2004]
}

impl Rule for ErrorReportNestingLevel {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, check, out);
    }
}

fn check(
    fleet: &Fleet<'_>,
    installation: &Installation,
    project: &Project<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(xml) = installation.errors_local_xml else {
        return;
    };
    let file = &fleet.files[xml];
    // A file git ignores never reaches the build, which then writes its own.
    if file.source.git == GitStatus::Ignored {
        return;
    }
    // Not well-formed: reported where it is parsed (`not_well_formed`).
    let Some(root) = file.facts.as_ref().map(|f| &f.root) else {
        return;
    };
    // `report` written twice is a list, and a list has no `dir_nesting_level`.
    let report = root.get("report");
    if report.and_then(|r| r.get("dir_nesting_level")).is_some() {
        return;
    }
    let variable_set = project
        .app_yaml
        .and_then(|(_, app)| app.get("variables")?.get("env")?.entry(NESTING_VARIABLE))
        .is_some();
    if variable_set {
        return;
    }
    let at = match root.entry("report") {
        Some(entry) => entry.key_span.get().unwrap_or(entry.value.span),
        None => Span::empty_at(root.span.start as usize),
    };
    out.push(
        Diagnostic::new(
            ErrorReportNestingLevel::RULE,
            Location::new(xml, at),
            format!(
                "pub/errors/local.xml sets no report/dir_nesting_level and .magento.app.yaml no {NESTING_VARIABLE}: error reports pile up in one directory ({})",
                cite(2003)
            ),
        )
        .help("add <dir_nesting_level>1</dir_nesting_level> inside <report>, or set MAGE_ERROR_REPORT_DIR_NESTING_LEVEL in .magento.app.yaml variables.env"),
    );
}

impl ErrorReportNestingLevel {
    /// The finding for a pub/errors/local.xml that does not parse (`message` says why, at
    /// `span`): the file stage reports it, as no tree reaches the fleet.
    pub fn not_well_formed(file: FileId, span: Span, message: &str) -> Diagnostic {
        Diagnostic::new(
        ErrorReportNestingLevel::RULE,
        Location::new(file, span),
        format!(
            "pub/errors/local.xml cannot be read: {message}; ece-tools' deploy warns ({}) and Magento's error pages ignore its settings",
            cite(2004)
        ),
    )
    .severity(severity(2004))
    .help("make the file well-formed XML (`<config><report><dir_nesting_level>1</dir_nesting_level></report></config>`), or delete it and let the build write it")
    }
}
