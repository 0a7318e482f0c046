use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Flags a value whose type is not the one the schema expects, naming both types.
    ///
    /// ## Why it matters
    /// ece-tools compares PHP `gettype()` of the value, as Symfony YAML reads it, with the
    /// variable's type and stops the build on a mismatch (ece-tools 10
    /// BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML): `SCD_THREADS: "4"` is a string, and
    /// `SCD_THREADS: 2.0`, `1e3` or `+3` a float, not an integer; `SKIP_SCD: 'true'` is a
    /// string, not a boolean; an empty `VERBOSE_COMMANDS:` is null. A `stage` or a stage that
    /// is no map stops ece-tools with a PHP error. Magento code that expects a map and gets a
    /// scalar breaks at run time.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   build:
    ///     SCD_THREADS: "4"
    /// ```
    ///
    /// ## Fix
    /// Write the value with the expected type (`SCD_THREADS: 4`). Values computed at run time
    /// (`getenv()`) are never type-checked.
    ///
    /// ## Source
    /// - magelint's bundled JSON Schemas: <https://github.com/magelint/magelint/tree/main/schemas>
    /// - ece-tools, `src/Config/Schema/Validator.php` (the PHP type must equal the schema type): <https://github.com/magento/ece-tools/blob/HEAD/src/Config/Schema/Validator.php>
    /// - Adobe Commerce on Cloud guide, "Configure environment variables for deployment" (`.magento.env.yaml`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/configure-env-yaml>
    pub struct WrongType;
    code: "SCH002", name: "wrong-type", severity: Error,
    ece_tools: [10]
}

impl Rule for WrongType {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::WrongType, Self::RULE, out);
    }

    /// `.magento.env.yaml` variables, against the ece-tools schema each project runs.
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        crate::check::env_yaml::push_findings(
            fleet,
            crate::schema::Problem::WrongType,
            Self::RULE,
            out,
        );
    }
}
