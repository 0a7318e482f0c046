use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::key_material::is_encrypted;
use crate::syntax::{push_pointer, Key, Node, Value};

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
    /// M2 `lib/internal/Magento/Framework/Encryption/Encryptor.php` (format);
    /// `magento/services-connector` `Model/Config/Backend/KeyEncrypted.php` (failed decryption
    /// returns the value unchanged); Commerce Services guide `help/landing/saas.md`;
    /// ../shared/DOMAIN.md §1.3, §6 and §7.4.
    pub struct EncryptedKeyInSharedConfig;
    code: "MS009", name: "encrypted-key-in-shared-config", severity: Warning
}

impl Rule for EncryptedKeyInSharedConfig {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::ConfigPhp {
            return;
        }
        // An explicit stack: never recurse on input. Each node carries its depth, and `keys`
        // holds the path down to the node being visited, so a pointer is only built for a
        // finding and memory stays proportional to the depth.
        let mut keys: Vec<&Key> = Vec::new();
        let mut stack: Vec<(&Node, usize, Option<&Key>)> = vec![(&file.document.root, 0, None)];
        while let Some((node, depth, key)) = stack.pop() {
            keys.truncate(depth.saturating_sub(1));
            keys.extend(key);
            match &node.value {
                Value::Array { entries, .. } => {
                    let entries = entries.iter().rev();
                    stack.extend(entries.map(|e| (&e.value, depth + 1, Some(&e.key))));
                }
                Value::String(value) if is_encrypted(value) => {
                    let mut pointer = String::new();
                    for key in &keys {
                        push_pointer(&mut pointer, key);
                    }
                    let path = pointer.trim_start_matches('/').to_string();
                    let (key_version, cipher) = versions(value);
                    out.push(
                        Diagnostic::new(
                            Self::CODE,
                            Location::new(file.id, node.span).with_pointer(pointer),
                            format!(
                                "{path} is encrypted (key {key_version}, cipher {cipher}) in the shared config.php: it decrypts only with the crypt/key of the installation that wrote it"
                            ),
                        )
                        .help("move it to each environment's env.php (or a CONFIG__ variable, or the Admin), where it is encrypted with that environment's key"),
                    );
                }
                _ => {}
            }
        }
    }
}

/// The key and cipher versions of an encrypted value (`0:3:…` → `0`, `3`).
fn versions(value: &str) -> (&str, &str) {
    let mut parts = value.trim().split(':');
    (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"))
}
