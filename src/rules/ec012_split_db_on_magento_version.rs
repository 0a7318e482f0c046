use super::Rule;
use crate::cloud::{cloud_projects, Project};
use crate::diagnostic::Diagnostic;
use crate::ece_tools::{cite, severity};
use crate::model::env_yaml::{is_empty, isset_path, seen, written_in, Written};
use crate::model::Fleet;
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags a split database configured in `.magento.env.yaml` (a non-empty `SPLIT_DB`, or a
    /// `connection.quote` / `connection.sales` in `DATABASE_CONFIGURATION`) on a Magento version
    /// that deprecates or no longer supports it. The version is read from composer.lock's
    /// `magento/magento2-base`, or `DEPLOYED_MAGENTO_VERSION_FROM_GIT`.
    ///
    /// ## Why it matters
    /// Magento deprecated the split database in 2.4.2 and removes it in 2.5.0. ece-tools warns
    /// on 2.4.2 up to 2.5 (2029, `WARN_DEPRECATED_SPLIT_DB`) and stops the deploy from 2.5.0 on
    /// (136, `DEPLOY_REMOVED_SPLIT_DB`).
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SPLIT_DB:
    ///       - quote
    /// ```
    ///
    /// ## Fix
    /// Plan to move the split tables back into the main database and remove `SPLIT_DB`; on
    /// Magento 2.5 remove it before deploying. Splitting is irreversible: see Adobe's guide
    /// before changing a split database.
    ///
    /// ## Source
    /// - ece-tools, `DeprecatedSplitDb.php` (2029): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/DeprecatedSplitDb.php>
    /// - ece-tools, `RemovedSplitDb.php` (136): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/RemovedSplitDb.php>
    /// - ece-tools, `Validator/Deploy/SplitDb.php` (when a split database counts as configured): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/SplitDb.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SPLIT_DB`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct SplitDbOnMagentoVersion;
    code: "EC012", name: "split-db-on-magento-version", severity: Error,
    ece_tools: [136, 2029]
}

impl Rule for SplitDbOnMagentoVersion {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_in_parallel(&cloud_projects(fleet), check, out);
    }
}

/// Where the split database is configured, as ece-tools' `SplitDb::isConfigured` decides.
fn configured<'a>(root: &'a crate::syntax::Node) -> Option<(Written<'a>, &'static [&'static str])> {
    if let Some(split) = seen(root, "deploy", "SPLIT_DB") {
        if matches!(split.value().value, Value::Array { .. })
            && is_empty(split.value()) == Some(false)
        {
            return Some((split, &[]));
        }
    }
    let database = written_in(root, "deploy", "DATABASE_CONFIGURATION")?;
    if is_empty(database.value()) != Some(false) {
        return None;
    }
    const QUOTE: &[&str] = &["connection", "quote"];
    const SALES: &[&str] = &["connection", "sales"];
    [QUOTE, SALES]
        .into_iter()
        .find(|path| isset_path(database.value(), path).is_some())
        .map(|path| (database, path))
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(file), Some(root)) = (project.env_file(), project.env_root()) else {
        return;
    };
    let Some((written, path)) = configured(root) else {
        return;
    };
    let Some(version) = project.magento() else {
        return;
    };
    let v = &version.version;
    let (code, what) = if v.at_least("2.5.0") {
        (136, "Magento 2.5 removed the split database")
    } else if v.satisfies(">=2.4.2 <2.5.0") {
        (2029, "the split database is deprecated since Magento 2.4.2")
    } else {
        return;
    };
    let location = match path.is_empty() {
        true => written.location(file),
        false => written.option_location(file, path),
    };
    out.push(
        Diagnostic::new(
            SplitDbOnMagentoVersion::RULE,
            location,
            format!(
                "{what}, and this project configures it on Magento {}: {}",
                v.text,
                cite(code)
            ),
        )
        .related(version.location.clone(), format!("Magento {} ({})", v.text, version.from))
        .severity(severity(code))
        .help("plan to move the split tables back into the main database and remove the split-database settings"),
    );
}
