//! Services Connector key values as text: Magento-encrypted, placeholder or clear text.
//!
//! Shared by the key rules (MS008 plaintext secrets, MS009 encrypted values in config.php).

/// Whether a config key under `services_connector_integration` names an API or private key
/// (`production_api_key`, `sandbox_private_key`, …).
pub fn is_key_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with("_api_key") || name.ends_with("_private_key")
}

/// "API key" or "private key" for a key field name.
pub fn key_field_kind(name: &str) -> &'static str {
    if name.to_ascii_lowercase().ends_with("_private_key") {
        "private key"
    } else {
        "API key"
    }
}

/// A value written by Magento's `Encryptor::encrypt()`: `<keyVersion>:<cipherVersion>:<base64>`,
/// or the older Rijndael-256 form `<key>:<cipher>:<iv>:<base64>`
/// (magento/magento2 `lib/internal/Magento/Framework/Encryption/Encryptor.php`).
pub fn is_encrypted(value: &str) -> bool {
    // Runs on every string of config.php: up to four parts, without allocating (more is no
    // ciphertext); the key version's digits are checked first.
    let mut parts = [""; 4];
    let mut count = 0;
    for part in value.trim().split(':') {
        let Some(slot) = parts.get_mut(count) else {
            return false;
        };
        *slot = part;
        count += 1;
    }
    let number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let base64 = |s: &str, min: usize| {
        let body = s.trim_end_matches('=');
        body.len() >= min
            && s.len() - body.len() <= 2
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    };
    match &parts[..count] {
        // Real ciphertexts are long; the minimum keeps times such as `10:30:00` out.
        [key, cipher, data] => number(key) && number(cipher) && base64(data, 16),
        [key, cipher, iv, data] => {
            number(key)
                && number(cipher)
                && iv.len() >= 8
                && iv.bytes().all(|b| b.is_ascii_alphanumeric())
                && base64(data, 16)
        }
        _ => false,
    }
}

/// Delimiters a deploy step, a template engine or a reader puts around a token it replaces:
/// `<api-key>`, `‹key›`, `${KEY}`, `{{ key }}`, `%KEY%`, `%%KEY%%`, `[KEY]`, `__KEY__`,
/// `@KEY@`, `#{KEY}`, `$(KEY)`. No API key (hex) or private key (PEM, base64) starts and ends
/// with one of these pairs.
const WRAPPERS: &[(&str, &str)] = &[
    ("<", ">"),
    ("\u{2039}", "\u{203a}"),
    ("\u{ab}", "\u{bb}"),
    ("${", "}"),
    ("{{", "}}"),
    ("{", "}"),
    ("%", "%"),
    ("[", "]"),
    ("__", "__"),
    ("@", "@"),
    ("#{", "}"),
    ("$(", ")"),
];

/// Whole values (letters and digits only, lower case) that stand for "put the key here".
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "replaceme",
    "changeit",
    "todo",
    "tbd",
    "fixme",
    "placeholder",
    "secret",
    "apikey",
    "privatekey",
    "key",
    "dummy",
    "example",
    "sample",
    "none",
    "null",
    "notset",
    "redacted",
];

/// Beginnings of a value that tells the reader to put a key in (`your-api-key`,
/// `insert_private_key_here`, `paste key`).
const PLACEHOLDER_PREFIXES: &[&str] = &["your", "insert", "enter", "paste", "replace", "change"];

/// A placeholder rather than a key: a token in delimiters (`<your-private-key>`,
/// `__SAAS_PRODUCTION_API_KEY__`, `%%KEY%%`, `${KEY}`, `{{ key }}`), a shell variable
/// (`$SAAS_API_KEY`), a word such as `CHANGE_ME` or `TODO`, a request (`your-api-key`,
/// `insert key here`) or a mask (`xxxxxxxx`, `********`, `...`). The one definition every rule
/// uses: a placeholder is neither a leaked secret (MS008) nor a malformed key (MS010).
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    let wrapped = WRAPPERS.iter().any(|(open, close)| {
        value.len() > open.len() + close.len() && value.starts_with(open) && value.ends_with(close)
    });
    let shell_variable = value.strip_prefix('$').is_some_and(|name| {
        name.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    if wrapped || shell_variable {
        return true;
    }
    let words: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // One character over and over (`xxxx`, `****`, `....`, `XXXX-XXXX`), never a digit (a
    // numeric value is something else).
    let mut chars = value.chars();
    let repeated = chars.next().is_some_and(|first| {
        !first.is_ascii_digit() && chars.all(|c| c == first || c == '-' || c == '_')
    });
    repeated
        || (!words.is_empty() && words.bytes().all(|b| b == b'x'))
        || PLACEHOLDER_WORDS.contains(&words.as_str())
        || PLACEHOLDER_PREFIXES.iter().any(|p| words.starts_with(p))
        || (words.len() > 4 && words.ends_with("here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_values() {
        let cases = [
            ("0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", true),
            ("1:3:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/ab", true),
            (
                "0:2:0123456789abcdef0123456789abcdef:SGVsbG8gV29ybGQhIQ==",
                true,
            ),
            ("10:30:00", false),
            ("0:3:short", false),
            ("a:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            ("8f3b1c2d9e7a4b6c", false),
            ("https://commerce.adobe.io/", false),
            (" 0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA== ", true),
            ("\u{b}0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", true),
            ("\u{a0}0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", true),
            (":0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            ("x0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            // Base64 pads with at most two `=`.
            ("0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA===", false),
            // The key version and the cipher are at most four digits.
            ("0a:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            ("0:ab:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            ("12345:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            ("0::Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", false),
            // The four-part form (key, cipher, IV, data): each part must be right.
            ("a:2:0123456789abcdef:SGVsbG8gV29ybGQhIQ==", false),
            ("0:b:0123456789abcdef:SGVsbG8gV29ybGQhIQ==", false),
            ("0:2:0123456:SGVsbG8gV29ybGQhIQ==", false),
            ("0:2:0123456789abcde!:SGVsbG8gV29ybGQhIQ==", false),
            ("0:2:0123456789abcdef:SGVsbG8=", false),
        ];
        for (value, expected) in cases {
            assert_eq!(is_encrypted(value), expected, "{value}");
        }
    }

    #[test]
    fn placeholders() {
        for value in [
            "<api-key>",
            "<your-private-key>",
            "\u{2039}private key\u{203a}",
            "\u{ab}api key\u{bb}",
            "${SAAS_API_KEY}",
            "{{ api_key }}",
            "{api_key}",
            "%env(API_KEY)%",
            "%%SAAS_API_KEY%%",
            "[API_KEY]",
            "__SAAS_PRODUCTION_API_KEY__",
            "@SAAS_API_KEY@",
            "#{SaasApiKey}",
            "$(SAAS_API_KEY)",
            "$SAAS_API_KEY",
            "changeme",
            "CHANGE_ME",
            "change-it",
            "xxx",
            "xxxxxxxx",
            "XXXX-XXXX",
            "****-****-****",
            "****_****",
            "********",
            "...",
            "your-api-key",
            "YOUR_PRIVATE_KEY",
            "insert private key here",
            "put-the-key-here",
            "TODO",
            "fixme",
            "none",
            " <api-key> ",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in [
            "8f3b1c2d9e7a4b6c0d1e2f3a4b5c6d7e",
            "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
            "0000111122223333",
            "0:3:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==",
            "",
            "   ",
            "<>",
            "$1abc",
            "$a-b",
            "x1",
            "here",
            "keys",
            "c2FuZGJveC1hcGkta2V5LTEyMzQ1Njc4",
        ] {
            assert!(!is_placeholder(value), "{value}");
        }
    }

    #[test]
    fn key_fields() {
        assert!(is_key_field("production_api_key"));
        assert!(is_key_field("sandbox_private_key"));
        assert!(!is_key_field("api_portal_url"));
        assert_eq!(key_field_kind("sandbox_private_key"), "private key");
        assert_eq!(key_field_kind("PRODUCTION_API_KEY"), "API key");
    }
}
