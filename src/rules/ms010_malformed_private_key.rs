use super::{FileContext, Rule};
use crate::diagnostic::{mask_secret, Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::key_material::{is_encrypted, is_placeholder};
use crate::model::{paths, variables_in};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a Services Connector private key (`production_private_key`, `sandbox_private_key`)
    /// that lacks the PEM `-----BEGIN … PRIVATE KEY-----` or `-----END … PRIVATE KEY-----` line,
    /// in a deployed file (config.php, an env file, .magento.app.yaml). Templates
    /// (`env.php.sample`, `*.dist`) and placeholders (`<your-private-key>`, `${KEY}`,
    /// `__SAAS_PRIVATE_KEY__`, `CHANGE_ME`, `xxx`) are not keys and are not judged.
    ///
    /// ## Why it matters
    /// The private key is the PEM text Adobe's API Portal generates, including its BEGIN and
    /// END lines. A key pasted without them (or on one line, or with `\n` written as two
    /// characters in a single-quoted PHP string) cannot sign the gateway requests, so every
    /// SaaS feed (catalog, Live Search, Product Recommendations, Payment Services) fails with an
    /// authentication error at run time, not at deploy time.
    ///
    /// ## Example
    /// ```php
    /// 'services_connector_integration' => [
    ///     'production_private_key' => 'MIIJQwIBADANBg…', // the base64 body alone
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Paste the whole key as the API Portal shows it, BEGIN and END lines included, with real
    /// line breaks (a multi-line or double-quoted PHP string, a YAML block scalar). Better still,
    /// keep it out of the repository: set it in env.php on the server or as a `CONFIG__` variable.
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `etc/adminhtml/system.xml` (`…/production_private_key`, `…/sandbox_private_key`); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (private keys include the `BEGIN PRIVATE KEY` and `END PRIVATE KEY` lines)
    /// - Magento 2 source, `Encryptor.php` (encrypted values are `<key version>:<cipher version>:<base64>`): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Encryption/Encryptor.php> — values in this form, and dynamic values, are not judged
    pub struct MalformedPrivateKey;
    code: "MS010", name: "malformed-private-key", severity: Error
}

const KEY_ENVIRONMENTS: [&str; 2] = ["production", "sandbox"];

impl Rule for MalformedPrivateKey {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let root = &file.document.root;
        match file.source.kind {
            // A template (env.php.sample, *.dist) is never deployed: its values are examples,
            // and a real key written there is MS008's finding.
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } => {
                let Some(system) = root.get("system") else {
                    return;
                };
                // Runs on every deployment config, and almost none holds a private key: the
                // scope names and pointers are only written for a key that is found.
                let mut check_scope = |node: Option<&Node>, scope: &dyn Fn() -> String| {
                    let Some(integration) = node.and_then(|n| n.path(paths::INTEGRATION)) else {
                        return;
                    };
                    for environment in KEY_ENVIRONMENTS {
                        let Some(value) = integration.get(&private_key_field(environment)) else {
                            continue;
                        };
                        let pointer = || {
                            let path = paths::key(environment, "private_key");
                            format!("/system/{}/{path}", scope())
                        };
                        check_value(file, value, pointer, environment, out);
                    }
                };
                check_scope(system.get("default"), &|| "default".to_string());
                for word in ["websites", "stores"] {
                    for entry in system.get(word).map_or(&[][..], |n| n.value.entries()) {
                        check_scope(Some(&entry.value), &|| format!("{word}/{}", entry.key));
                    }
                }
            }
            // The files that set CONFIG__ variables (`environments` reads none from the others).
            ref kind => {
                for (variable, value) in variables_in(file.id, kind, root) {
                    let environment = KEY_ENVIRONMENTS
                        .into_iter()
                        .find(|e| variable.path == paths::key(e, "private_key"));
                    if let Some(environment) = environment {
                        let pointer = || {
                            variable
                                .location
                                .pointer
                                .as_deref()
                                .unwrap_or("")
                                .to_string()
                        };
                        check_value(file, value, pointer, environment, out);
                    }
                }
            }
        }
    }
}

/// The field of a key environment's private key (`production_private_key`), as in
/// `paths::key(environment, "private_key")`; no allocation for the two environments there are.
fn private_key_field(environment: &str) -> std::borrow::Cow<'static, str> {
    match environment {
        "production" => "production_private_key".into(),
        "sandbox" => "sandbox_private_key".into(),
        other => format!("{other}_private_key").into(),
    }
}

/// Reports a malformed key; `pointer` is only called for a finding.
fn check_value(
    file: &FileContext<'_>,
    node: &Node,
    pointer: impl FnOnce() -> String,
    environment: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Dynamic values are never judged; empty means "not set" (MS007's business); a
    // placeholder (`<your-private-key>`, `${KEY}`, `CHANGE_ME`) is replaced before deployment.
    let Value::String(key) = &node.value else {
        return;
    };
    let key = key.trim();
    if key.is_empty() || is_encrypted(key) || is_placeholder(key) {
        return;
    }
    let (begin, end) = pem_lines(key);
    if begin && end {
        return;
    }
    let missing = match (begin, end) {
        (false, false) => "the `-----BEGIN PRIVATE KEY-----` and `-----END PRIVATE KEY-----` lines",
        (false, true) => "the `-----BEGIN PRIVATE KEY-----` line",
        _ => "the `-----END PRIVATE KEY-----` line",
    };
    let help = if key.contains("\\n") {
        "the value holds `\\n` as two characters (a single-quoted PHP string?): write real line breaks, or use a double-quoted string"
    } else {
        "paste the whole PEM key from the API Portal, BEGIN and END lines included, each on its own line"
    };
    out.push(
        Diagnostic::new(
            MalformedPrivateKey::RULE,
            Location::new(file.id, node.span).with_pointer(pointer()),
            format!(
                "{environment} private key `{}` lacks {missing}",
                mask_secret(key)
            ),
        )
        .help(help),
    );
}

/// Whether `-----BEGIN … PRIVATE KEY-----` and `-----END … PRIVATE KEY-----` stand on lines of
/// their own (`RSA`/`ENCRYPTED` variants included).
fn pem_lines(key: &str) -> (bool, bool) {
    // The label between `BEGIN ` and `PRIVATE KEY` is upper-case words only (`RSA `), so a
    // one-line key (`-----BEGIN PRIVATE KEY-----\n…-----END PRIVATE KEY-----`) does not count.
    let marker = |line: &str, word: &str| {
        line.strip_prefix("-----")
            .and_then(|l| l.strip_prefix(word))
            .and_then(|l| l.strip_prefix(' '))
            .and_then(|l| l.strip_suffix("PRIVATE KEY-----"))
            .is_some_and(|label| label.bytes().all(|b| b.is_ascii_uppercase() || b == b' '))
    };
    let lines = || key.lines().map(str::trim);
    (
        lines().any(|l| marker(l, "BEGIN")),
        lines().any(|l| marker(l, "END")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_lines_need_their_own_lines() {
        let good = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
        assert_eq!(pem_lines(good), (true, true));
        assert_eq!(
            pem_lines(
                "  -----BEGIN RSA PRIVATE KEY-----\r\n  x\r\n  -----END RSA PRIVATE KEY-----"
            ),
            (true, true)
        );
        assert_eq!(pem_lines("MIIEvQIBADANBg"), (false, false));
        assert_eq!(
            pem_lines("-----BEGIN PRIVATE KEY-----\nMIIE"),
            (true, false)
        );
        assert_eq!(
            pem_lines("-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"),
            (false, false)
        );
        assert_eq!(
            pem_lines("-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"),
            (false, false)
        );
    }
}
