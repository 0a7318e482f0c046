use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::written_in;
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags a value of `SPLIT_DB` in `.magento.env.yaml` other than `quote` and `sales`.
    ///
    /// ## Why it matters
    /// `SPLIT_DB` lists the parts of the database to move to their own database during the
    /// deploy; ece-tools knows two, `quote` and `sales`. Its schema check refuses any other
    /// value and stops the build with error 10 (`BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML`).
    /// The values are compared as text: `true` or a nested list is refused too.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SPLIT_DB:
    ///       - quote
    ///       - checkout
    /// ```
    ///
    /// ## Fix
    /// Keep only `quote` and/or `sales` in the list. Splitting is irreversible: remove a value
    /// only if that part was never split.
    ///
    /// ## Source
    /// - ece-tools, `Schema/Validator/SplitDb.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Schema/Validator/SplitDb.php>
    /// - ece-tools, `config/schema.yaml` (`SPLIT_DB`): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.yaml>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SPLIT_DB`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct InvalidSplitDbValue;
    code: "EC006", name: "invalid-split-db-value", severity: Error,
    ece_tools: [10]
}

const ALLOWED: [&str; 2] = ["quote", "sales"];

impl Rule for InvalidSplitDbValue {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        // The stages SPLIT_DB is allowed in; elsewhere the schema reports the stage.
        for stage in ["global", "deploy"] {
            let Some(written) = written_in(&file.document.root, stage, "SPLIT_DB") else {
                continue;
            };
            // Not an array: the schema reports the type.
            let Value::Array { entries, .. } = &written.value().value else {
                continue;
            };
            for entry in entries {
                let allowed = match &entry.value.value {
                    Value::String(s) => ALLOWED.contains(&s.as_str()),
                    // Known only at run time: not judged.
                    Value::Dynamic(_) => true,
                    _ => false,
                };
                if allowed {
                    continue;
                }
                let shown = match &entry.value.value {
                    Value::Array { .. } => "a nested list".to_string(),
                    Value::Null => "null".to_string(),
                    Value::Bool(b) => format!("`{b}`"),
                    value => format!("`{}`", value.scalar_text().unwrap_or_default()),
                };
                let key = entry.key.to_string();
                let location = written.option_location(file.id, &[&key]);
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        location,
                        format!(
                            "SPLIT_DB accepts only `quote` and `sales`, not {shown}: {} stops the build",
                            cite(10)
                        ),
                    )
                    .help("keep only `quote` and/or `sales` in SPLIT_DB"),
                );
            }
        }
    }
}
