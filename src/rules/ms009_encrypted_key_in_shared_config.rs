use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::key_material::is_encrypted;
use crate::syntax::{push_pointer, Entry, Key, Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a Magento-encrypted value (`<keyVersion>:<cipherVersion>:<base64>`, e.g. `0:3:…`) in
    /// config.php.
    ///
    /// ## Why it matters
    /// An encrypted value decrypts only with the `crypt/key` of the installation that wrote it,
    /// which lives in that installation's env.php. config.php is shared by every environment
    /// (`app:config:dump` on production writes the Services keys there, encrypted), so on
    /// staging or a developer's machine decryption fails and the Services Connector silently
    /// sends the ciphertext as the key: the gateway rejects it ("keys taken from a backup get an
    /// additional layer of encryption, and the keys will not work").
    ///
    /// ## Example
    /// ```php
    /// 'production_api_key' => '0:3:<base64 ciphertext>',
    /// ```
    ///
    /// ## Fix
    /// Remove the value from config.php and set it per environment: in each env.php (plain or
    /// encrypted with that environment's key), through a CONFIG__ variable, or in the Admin.
    ///
    /// ## Source
    /// - Magento 2 source, `Encryptor.php` (encrypted values are `<key version>:<cipher version>:<base64>`): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Encryption/Encryptor.php>
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/Config/Backend/KeyEncrypted.php` (a value that fails to decrypt is used unchanged); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Configuration guide, "env.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-envphp> (`crypt/key`, one per installation)
    pub struct EncryptedKeyInSharedConfig;
    code: "MS009", name: "encrypted-key-in-shared-config", severity: Warning,
    about_repository: true
}

impl Rule for EncryptedKeyInSharedConfig {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::ConfigPhp {
            return;
        }
        // A config.php that returns no array is E002's finding, whatever it returns.
        let Value::Array { entries, .. } = &file.document.root.value else {
            return;
        };
        // An explicit stack of the arrays being walked, in document order: never recurse on
        // input. `keys` holds the key of each array below the root, so a pointer is only built
        // for a finding and memory stays proportional to the depth.
        let mut stack: Vec<std::slice::Iter<'_, Entry>> = vec![entries.iter()];
        let mut keys: Vec<&Key> = Vec::new();
        while let Some(level) = stack.last_mut() {
            let Some(entry) = level.next() else {
                stack.pop();
                keys.pop();
                continue;
            };
            match &entry.value.value {
                Value::Array { entries, .. } => {
                    stack.push(entries.iter());
                    keys.push(&entry.key);
                }
                Value::String(value) if is_encrypted(value) => {
                    keys.push(&entry.key);
                    out.push(finding(file, &entry.value, value, &keys));
                    keys.pop();
                }
                _ => {}
            }
        }
    }
}

/// The finding for an encrypted value at the end of `keys`.
fn finding(file: &FileContext<'_>, node: &Node, value: &str, keys: &[&Key]) -> Diagnostic {
    let mut pointer = String::new();
    for key in keys {
        push_pointer(&mut pointer, key);
    }
    let path = pointer.trim_start_matches('/').to_string();
    let (key_version, cipher) = versions(value);
    Diagnostic::new(
        EncryptedKeyInSharedConfig::RULE,
        Location::new(file.id, node.span).with_pointer(pointer),
        format!(
            "{path} is encrypted (key {key_version}, cipher {cipher}) in the shared config.php: it decrypts only with the crypt/key of the installation that wrote it"
        ),
    )
    .help("move it to each environment's env.php (or a CONFIG__ variable, or the Admin), where it is encrypted with that environment's key")
}

/// The key and cipher versions of an encrypted value (`0:3:…` → `0`, `3`).
fn versions(value: &str) -> (&str, &str) {
    let mut parts = value.trim().split(':');
    (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"))
}
