use super::Rule;
use crate::cloud::ece_tools_runs;
use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::git::GitStatus;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags an Adobe Commerce Cloud project (a `.magento.app.yaml` whose build runs
    /// ece-tools) without a committed `app/etc/config.php`: ece-tools' build warns about it
    /// (ece-tools 1001 WARN_CONFIG_PHP_NOT_EXISTS). The file is missing when the walk found
    /// none beside `.magento.app.yaml`, or when git ignores it (Magento's own `.gitignore`
    /// does), so that no commit holds it.
    ///
    /// ## Why it matters
    /// config.php lists the enabled modules and the stores, websites and themes; without it
    /// the build enables every module it finds and cannot deploy static content (it does not
    /// know the locales and themes), so the deploy phase does it while the site is down.
    /// Only what is committed reaches the build container.
    ///
    /// The check needs the whole project: a `.magento.app.yaml` named on the command line
    /// (not found by walking a directory) is not judged.
    ///
    /// ## Example
    /// `.gitignore` has `/app/etc/config.php`, or `app/etc/` holds only `env.php`.
    ///
    /// ## Fix
    /// Run `bin/magento module:enable --all` (or `bin/magento app:config:dump`) locally, then
    /// `git add -f app/etc/config.php` and commit it.
    ///
    /// ## Source
    /// - ece-tools, `Build/ConfigFileExists.php` (app/etc/config.php absent: 1001): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/ConfigFileExists.php>
    /// - ece-tools, `schema.error.yaml` (1001, build, validate-config, warning): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud, "Manage your configuration" (commit config.php for the build): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/store/store-settings>
    pub struct ConfigPhpNotCommitted;
    code: "EC067", name: "config-php-not-committed", severity: Warning, ece_tools: [1001]
}

impl Rule for ConfigPhpNotCommitted {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(
            fleet,
            |fleet, installation, _, out| check(fleet, installation, out),
            out,
        );
        // A `.magento.app.yaml` no installation owns: no app/etc file was found beside it.
        let owned: std::collections::HashSet<FileId> = fleet
            .installations
            .iter()
            .filter_map(|i| i.app_yaml)
            .collect();
        for (id, file) in fleet.files.iter().enumerate() {
            if file.source.kind != FileKind::MagentoAppYaml
                || file.source.explicit
                || owned.contains(&id)
            {
                continue;
            }
            let Some(root) = file.facts.as_ref().map(|f| &f.root) else {
                continue;
            };
            let dir = file.source.path.parent();
            // The hooks and the composer.lock beside it tell whether ece-tools runs (the one gate).
            let lock = fleet.files.iter().enumerate().find(|(_, f)| {
                f.source.kind == FileKind::ComposerLock && f.source.path.parent() == dir
            });
            let lock = lock.and_then(|(lock_id, f)| Some((lock_id, &f.facts.as_ref()?.root)));
            if ece_tools_runs(Some(root), lock, false) {
                out.push(finding(
                    id,
                    root.span.start as usize,
                    "there is no app/etc/config.php beside it",
                ));
            }
        }
    }
}

fn check(fleet: &Fleet<'_>, installation: &Installation, out: &mut Vec<Diagnostic>) {
    let Some(app_yaml) = installation.app_yaml else {
        return;
    };
    let app_file = &fleet.files[app_yaml];
    if app_file.source.explicit {
        return;
    }
    let start = app_file
        .facts
        .as_ref()
        .map_or(0, |f| f.root.span.start as usize);
    match installation.config_php {
        None => out.push(finding(app_yaml, start, "there is no app/etc/config.php")),
        Some(config) if fleet.files[config].source.git == GitStatus::Ignored => out.push(
            finding(
                app_yaml,
                start,
                "git ignores app/etc/config.php, so no commit holds it",
            )
            .related(
                Location::new(config, Span::empty_at(0)),
                "ignored by git: the build container never has it",
            ),
        ),
        Some(_) => {}
    }
}

fn finding(app_yaml: FileId, at: usize, why: &str) -> Diagnostic {
    Diagnostic::new(
        ConfigPhpNotCommitted::RULE,
        Location::new(app_yaml, Span::empty_at(at)),
        format!(
            "the Cloud build gets no app/etc/config.php: {why} ({})",
            cite(1001)
        ),
    )
    .help("run `bin/magento module:enable --all` locally, then `git add -f app/etc/config.php` and commit it")
}
