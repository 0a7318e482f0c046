use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::ece_tools::cite;

declare_rule! {
    /// ## What it does
    /// Flags a `MAGE_MODE` environment variable in `.magento.app.yaml` (`variables.env`) whose
    /// value is not `production`, in an application whose build or deploy hook runs ece-tools.
    /// ece-tools' deploy warns about it (ece-tools 2027 WARN_NOT_SUPPORTED_MAGE_MODE).
    ///
    /// ## Why it matters
    /// Adobe Commerce on cloud infrastructure runs in production mode only: ece-tools builds
    /// the static content and compiled code for production and sets the mode itself. A
    /// `developer` or `default` mode exported to every environment from the application file
    /// is not applied as intended, and each deploy warns that it is not supported.
    ///
    /// ## Example
    /// ```yaml
    /// variables:
    ///     env:
    ///         MAGE_MODE: developer
    /// ```
    ///
    /// ## Fix
    /// Remove `MAGE_MODE` from `variables.env` (or set it to `production`). To debug an
    /// integration environment, use a local Cloud Docker environment in developer mode
    /// instead.
    ///
    /// ## Source
    /// - ece-tools, `MageModeVariable.php` (reads the `MAGE_MODE` environment variable; anything but empty or `production` is warning 2027): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/MageModeVariable.php>
    /// - ece-tools, `schema.error.yaml` (2027, deploy, `validate-config:mage-mode-variable`, warning): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud Infrastructure guide, "Variables property" (`variables.env` of `.magento.app.yaml`): <https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/configure/app/properties/variables-property>
    pub struct MageModeVariable;
    code: "EC050", name: "mage-mode-variable", severity: Warning, ece_tools: [2027]
}

impl Rule for MageModeVariable {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoAppYaml {
            return;
        }
        let root = &file.document.root;
        // ece-tools' check: only for an application whose hooks run it.
        if !crate::cloud::hooks_run_ece_tools(root) {
            return;
        }
        let Some(entry) = root
            .get("variables")
            .and_then(|v| v.get("env"))
            .and_then(|env| env.entry("MAGE_MODE"))
        else {
            return;
        };
        // An environment variable is text: ece-tools reads `false`, ``, `0` as unset.
        let Some(mode) = entry.value.value.scalar_text() else {
            return;
        };
        if mode.is_empty() || mode == "0" || mode == "production" {
            return;
        }
        let location =
            Location::new(file.id, entry.value.span).with_pointer("/variables/env/MAGE_MODE");
        out.push(
            Diagnostic::new(
                Self::RULE,
                location,
                format!(
                    "MAGE_MODE `{mode}` is not supported on Adobe Commerce Cloud, which deploys in production mode only ({})",
                    cite(2027)
                ),
            )
            .help("remove MAGE_MODE from variables.env, or set it to `production`"),
        );
    }
}
