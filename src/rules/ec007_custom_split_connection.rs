use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{isset_path, written_in};

declare_rule! {
    /// ## What it does
    /// Flags a `DATABASE_CONFIGURATION` in the `deploy` stage of `.magento.env.yaml` that
    /// defines the split-database connections `checkout` or `sales` itself,
    /// under `connection` or `slave_connection`.
    ///
    /// ## Why it matters
    /// On Cloud, ece-tools creates the split-database connections from the environment's
    /// relationships (`SPLIT_DB`); it does not support custom ones and ignores them, with
    /// warning 2002 (`WARN_WRONG_SPLIT_DB_CONFIG`). The connection you wrote is not the one
    /// Magento uses.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     DATABASE_CONFIGURATION:
    ///       _merge: true
    ///       connection:
    ///         checkout:
    ///           host: quote-db.internal
    /// ```
    ///
    /// ## Fix
    /// Remove `checkout` and `sales` from `connection` and `slave_connection`; list the parts
    /// to split in `SPLIT_DB` instead.
    ///
    /// ## Source
    /// - ece-tools, `DatabaseSplitConnection.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/DatabaseSplitConnection.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`DATABASE_CONFIGURATION`, `SPLIT_DB`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct CustomSplitConnection;
    code: "EC007", name: "custom-split-connection", severity: Warning,
    ece_tools: [2002]
}

impl Rule for CustomSplitConnection {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let Some(written) = written_in(&file.document.root, "deploy", "DATABASE_CONFIGURATION")
        else {
            return;
        };
        for kind in ["connection", "slave_connection"] {
            for name in ["checkout", "sales"] {
                if isset_path(written.value(), &[kind, name]).is_none() {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        written.option_location(file.id, &[kind, name]),
                        format!(
                            "DATABASE_CONFIGURATION defines the split-database connection `{kind}.{name}`, which Cloud ignores: {}",
                            cite(2002)
                        ),
                    )
                    .help("remove it; list the parts to split (`quote`, `sales`) in SPLIT_DB instead"),
                );
            }
        }
    }
}
