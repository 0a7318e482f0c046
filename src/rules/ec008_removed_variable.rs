use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{written_in, STAGES};
use std::sync::OnceLock;

declare_rule! {
    /// ## What it does
    /// Flags a variable in `.magento.env.yaml` that ece-tools removed in 2002.1.0
    /// (`SCD_EXCLUDE_THEMES`, `STATIC_CONTENT_SYMLINK`, `STATIC_CONTENT_THREADS`,
    /// `DO_DEPLOY_STATIC_CONTENT`) and names what replaces it.
    ///
    /// ## Why it matters
    /// ece-tools 2002.0 warned about these variables; since 2002.1.0 its schema no longer
    /// knows them, and its configuration check refuses any unknown variable ("The X variable
    /// is not allowed in configuration"), stopping the build with error 10
    /// (`BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML`).
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   build:
    ///     SCD_EXCLUDE_THEMES: "Magento/luma"
    /// ```
    ///
    /// ## Fix
    /// Write the replacement the message names (`SCD_MATRIX`, `SCD_THREADS`, `SKIP_SCD` with
    /// the opposite value), or delete `STATIC_CONTENT_SYMLINK`.
    ///
    /// ## Source
    /// - ece-tools, the change that removed them (MAGECLOUD-4407): <https://github.com/magento/ece-tools/commit/60790c876973665c736e0517fb1aa071b6581a00>
    /// - ece-tools 2002.0.23, `DeprecatedVariables.php` (the replacements): <https://github.com/magento/ece-tools/blob/2002.0.23/src/Config/Validator/Deploy/DeprecatedVariables.php>
    /// - ece-tools, `Schema/Validator.php` (unknown variables are refused): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Schema/Validator.php>
    /// - Adobe Commerce on Cloud, "Build variables" (`SCD_MATRIX`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-build>
    pub struct RemovedVariable;
    code: "EC008", name: "removed-variable", severity: Error,
    ece_tools: [10]
}

#[derive(serde::Deserialize)]
struct Removed {
    variables: Vec<RemovedEntry>,
}

#[derive(serde::Deserialize)]
struct RemovedEntry {
    name: String,
    replacement: Option<String>,
    how: String,
}

/// data/ece-tools/removed-variables.json.
fn removed() -> &'static [RemovedEntry] {
    static REMOVED: OnceLock<Removed> = OnceLock::new();
    &REMOVED
        .get_or_init(|| {
            // Bundled and checked by a test: a broken file is a build defect, not user input.
            serde_json::from_str(include_str!("../../data/ece-tools/removed-variables.json"))
                .expect("data/ece-tools/removed-variables.json is valid")
        })
        .variables
}

impl Rule for RemovedVariable {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        for stage in STAGES {
            for variable in removed() {
                let Some(written) = written_in(&file.document.root, stage, &variable.name) else {
                    continue;
                };
                let instead = match &variable.replacement {
                    Some(name) => format!("; use {name} instead"),
                    None => String::new(),
                };
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        written.location(file.id),
                        format!(
                            "{} was removed from ece-tools in 2002.1.0{instead}: {} stops the build on an unknown variable",
                            variable.name,
                            cite(10)
                        ),
                    )
                    .help(variable.how.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_removed_list_loads() {
        let names: Vec<&str> = super::removed().iter().map(|v| v.name.as_str()).collect();
        assert!(names.contains(&"SCD_EXCLUDE_THEMES"), "{names:?}");
        assert!(super::removed().iter().all(|v| !v.how.is_empty()));
    }
}
