use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::key_material::is_placeholder;
use crate::model::variables_in;
use crate::model::{paths, ConfigVariableScope};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags `magento_saas/environment` set to anything but exactly `production` or `sandbox`,
    /// in a config or env file or a `CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT` variable.
    ///
    /// ## Why it matters
    /// The value is substituted into the config paths of the key pair and the gateway
    /// (`services_connector_integration/{env}_api_key`, `services_connector/{env}_gateway_url`).
    /// Only the lower-case `production` and `sandbox` variants of those paths exist, so
    /// `Production`, `prod` or `staging` make every Services extension see no keys and no
    /// gateway; an empty value reads as "API key not set".
    ///
    /// ## Example
    /// ```php
    /// 'magento_saas' => ['environment' => 'Production'],
    /// ```
    ///
    /// ## Fix
    /// Write `production` (the default, so the line can also go) or `sandbox`, in lower case.
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/config.xml`, `Model/Environment.php`, `README.md` (`magento_saas/environment` is `production` or `sandbox`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`isApiKeySet()`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    pub struct InvalidKeyEnvironment;
    code: "MS006", name: "invalid-key-environment", severity: Error
}

impl Rule for InvalidKeyEnvironment {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        match file.source.kind {
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template => {
                let path = format!("system/default/{}", paths::KEY_ENVIRONMENT);
                if let Some(node) = file.document.root.path(&path) {
                    let location =
                        Location::new(file.id, node.span).with_pointer(format!("/{path}"));
                    out.extend(check(node, location, "magento_saas/environment"));
                }
            }
            // The files that set CONFIG__ variables (`environments` reads none from the others).
            ref kind => {
                for (variable, value) in variables_in(file.id, kind, &file.document.root) {
                    let pointer = variable.location.pointer.clone().unwrap_or_default();
                    let location = Location::new(file.id, value.span).with_pointer(pointer);
                    if variable.scope == ConfigVariableScope::Default
                        && variable.path == paths::KEY_ENVIRONMENT
                    {
                        out.extend(check(value, location, &variable.name));
                    }
                }
            }
        }
    }
}

/// The diagnostic for one written value, if it is not a valid key environment.
fn check(node: &Node, location: Location, name: &str) -> Option<Diagnostic> {
    let text = match &node.value {
        // Unknown until run time, or "not set here" (the default, production, applies).
        Value::Dynamic(_) | Value::Null => return None,
        // Filled in at deploy time (`{{ saas_env }}`, `__SAAS_ENV__`): unknown here too.
        Value::String(text) if is_placeholder(text) => return None,
        Value::String(text) => text.clone(),
        other => {
            let diagnostic = Diagnostic::new(
                InvalidKeyEnvironment::RULE,
                location,
                format!(
                    "{name} is {} {}, not `production` or `sandbox`",
                    article(other.type_name()),
                    other.type_name()
                ),
            );
            return Some(diagnostic.help("write `production` or `sandbox` as a string"));
        }
    };
    if text == "production" || text == "sandbox" {
        return None;
    }
    let (message, help) = if text.trim().is_empty() {
        (
            format!("{name} is empty, so Magento finds no key pair (\"API key not set\")"),
            "write `production` (the default) or `sandbox`, or remove the setting".to_string(),
        )
    } else {
        let normalized = text.trim().to_ascii_lowercase();
        let help = if normalized == "production" || normalized == "sandbox" {
            format!("write `{normalized}`: the key and gateway paths exist only in lower case")
        } else {
            "write `production` (the default) or `sandbox`; no other key pair exists".to_string()
        };
        (format!("{name} is `{text}`, but only `production` and `sandbox` select a key pair and gateway"), help)
    };
    Some(Diagnostic::new(InvalidKeyEnvironment::RULE, location, message).help(help))
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
