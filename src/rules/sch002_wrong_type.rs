use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Flags a value whose type is not the one the schema expects, naming both types.
    ///
    /// ## Why it matters
    /// ece-tools compares PHP `gettype()` with the variable type and fails the build on a
    /// mismatch (`SCD_THREADS: "4"` is a string, not an integer); Magento code that expects a
    /// map and gets a scalar breaks at run time.
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
    code: "SCH002", name: "wrong-type", severity: Error
}

impl Rule for WrongType {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        file.push_schema_findings(crate::schema::Problem::WrongType, Self::RULE, out);
    }
}
