use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, isset_path, written_in, Merge};

declare_rule! {
    /// ## What it does
    /// Flags a `DATABASE_CONFIGURATION` in the `deploy` stage of `.magento.env.yaml` that
    /// replaces the database connection Cloud generates without giving all of
    /// `connection.default.host`, `dbname`, `username` and `password`.
    ///
    /// ## Why it matters
    /// Without `_merge: true`, ece-tools writes the variable into `app/etc/env.php` in place of
    /// the connection it builds from the environment's relationships, so it must hold a
    /// complete default connection. ece-tools checks this while validating the configuration,
    /// ten minutes into the deploy, and stops it with error 109
    /// (`DEPLOY_WRONG_CONFIGURATION_DB`).
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     DATABASE_CONFIGURATION:
    ///       table_prefix: shop_
    /// ```
    ///
    /// ## Fix
    /// To change a few options of the generated connection, add `_merge: true`. To replace it,
    /// write the four options under `connection.default` (an empty `password: ''` counts).
    ///
    /// ## Source
    /// - ece-tools, `DatabaseConfiguration.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/DatabaseConfiguration.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`DATABASE_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct IncompleteDatabaseConfiguration;
    code: "EC001", name: "incomplete-database-configuration", severity: Error,
    ece_tools: [109]
}

const REQUIRED: [&str; 4] = ["host", "dbname", "username", "password"];

impl Rule for IncompleteDatabaseConfiguration {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let root = &file.document.root;
        let Some(written) = written_in(root, "deploy", "DATABASE_CONFIGURATION") else {
            return;
        };
        // Not an array: a type error, which the schema reports.
        let Some(config) = Merge::of(written.value()) else {
            return;
        };
        if is_empty(written.value()) != Some(false) || config.merge_flag() {
            return;
        }
        let default = isset_path(written.value(), &["connection", "default"]);
        let missing: Vec<&str> = REQUIRED
            .into_iter()
            .filter(|key| default.and_then(|d| isset_path(d, &[key])).is_none())
            .collect();
        if missing.is_empty() {
            return;
        }
        let what = match default {
            None => "has no `connection.default`".to_string(),
            Some(_) => format!(
                "lacks {} under `connection.default`",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let location = match default {
            Some(_) => written.option_location(file.id, &["connection", "default"]),
            None => written.location(file.id),
        };
        out.push(
            Diagnostic::new(
                Self::RULE,
                location,
                format!(
                    "DATABASE_CONFIGURATION replaces the generated database connection (no `_merge`) but {what}: {} stops the deploy",
                    cite(109)
                ),
            )
            .help("add `_merge: true` to change only some options, or give connection.default its host, dbname, username and password"),
        );
    }
}
