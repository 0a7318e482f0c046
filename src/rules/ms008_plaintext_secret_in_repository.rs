use super::{FileContext, Rule};
use crate::diagnostic::{mask_secret, Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::variables_in;
use crate::model::key_material::{is_encrypted, is_key_field, is_placeholder, key_field_kind};
use crate::model::paths;
use crate::syntax::{push_pointer, Key, Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a Services Connector API key or private key written in clear text in a file that is
    /// committed or committable: config.php, an env file or template, or a `CONFIG__…_API_KEY` /
    /// `CONFIG__…_PRIVATE_KEY` variable in .magento.app.yaml.
    ///
    /// ## Why it matters
    /// The key pair lets anyone send data to, and read from, the merchant's SaaS data spaces.
    /// Magento happily uses a plaintext key (decryption failures fall back to the raw value), so
    /// nothing breaks — the key simply sits in git history for everyone with read access, and
    /// `app:config:dump` writes these paths into the shared config.php because they are not
    /// declared sensitive.
    ///
    /// ## Example
    /// ```php
    /// 'services_connector_integration' => [
    ///     'production_api_key' => '<32 hex characters of the real key>',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Remove the key from the file and inject it per environment (`getenv()` in env.php, or a
    /// sensitive Cloud variable `CONFIG__DEFAULT__SERVICES_CONNECTOR__…`), or save it in the Admin
    /// where it is stored encrypted. Then rotate the key in the API Portal: it is in git history.
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/Config/Backend/KeyEncrypted.php` (a plaintext key is accepted), `etc/di.xml` (no sensitive paths declared); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Configuration guide, "Export configuration settings" (config.php goes into source control, env.php does not): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/export-configuration>
    pub struct PlaintextSecretInRepository;
    code: "MS008", name: "plaintext-secret-in-repository", severity: Error,
    about_repository: true
}

impl Rule for PlaintextSecretInRepository {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let kind = &file.source.kind;
        match kind {
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template => {
                let Some(system) = file.document.root.get("system") else {
                    return;
                };
                for (scope_pointer, scope) in scopes(system) {
                    let Some(integration) = scope.path(paths::INTEGRATION) else {
                        continue;
                    };
                    for entry in integration.value.entries() {
                        let Key::Str(name) = &entry.key else { continue };
                        if !is_key_field(name) {
                            continue;
                        }
                        let mut pointer = format!("{scope_pointer}/{}", paths::INTEGRATION);
                        push_pointer(&mut pointer, &entry.key);
                        let location =
                            Location::new(file.id, entry.value.span).with_pointer(pointer);
                        out.extend(check(&entry.value, location, name, kind.describe()));
                    }
                }
            }
            FileKind::MagentoAppYaml => {
                for (variable, value) in variables_in(file.id, &file.document.root) {
                    let pointer = variable.location.pointer.clone().unwrap_or_default();
                    let location = Location::new(file.id, value.span).with_pointer(pointer);
                if is_key_field(&variable.path) {
                    out.extend(check(value, location, &variable.name, kind.describe()));
                }
                }
            }
            _ => {}
        }
    }
}

/// `system/default`, then each `system/websites/<code>` and `system/stores/<code>`, with pointers.
fn scopes(system: &Node) -> Vec<(String, &Node)> {
    let mut found: Vec<(String, &Node)> = system
        .get("default")
        .map(|d| ("/system/default".to_string(), d))
        .into_iter()
        .collect();
    for scope in ["websites", "stores"] {
        for code in system.get(scope).map_or(&[][..], |n| n.value.entries()) {
            let mut pointer = format!("/system/{scope}");
            push_pointer(&mut pointer, &code.key);
            found.push((pointer, &code.value));
        }
    }
    found
}

/// The finding for one key value, if it is a real key in clear text. Never prints the value.
fn check(node: &Node, location: Location, name: &str, file_kind: &str) -> Option<Diagnostic> {
    // Dynamic values (getenv(), $_ENV) are exactly the fix; other scalars are not keys.
    let Value::String(value) = &node.value else {
        return None;
    };
    if value.trim().is_empty() || is_encrypted(value) || is_placeholder(value) {
        return None;
    }
    let what = key_field_kind(name);
    Some(
        Diagnostic::new(
            PlaintextSecretInRepository::RULE,
            location,
            format!("{name} holds a Services {what} in clear text (`{}`) in a committed {file_kind}", mask_secret(value.trim())),
        )
        .help(format!(
            "inject the {what} per environment (getenv() in env.php, or a sensitive Cloud variable) or save it in the Admin, then rotate it: it is in git history"
        )),
    )
}
