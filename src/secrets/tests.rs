//! The tests of `secrets`: masking, the text scan, and their plain definitions.

use super::*;

#[test]
fn text_secret_spans_find_values_after_secret_keys_and_pem_blocks() {
    let text = "<?php return [\n  'db' => ['password' => 'Hunter2Hunter2',\n  'crypt' => [\n    'key' => 'abcdefabcdef'\n  ],\n  'x' => 'plain'\n  'pem' => '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----',\n";
    let shown: Vec<&str> = text_secret_spans(text)
        .iter()
        .map(|s| &text[s.range()])
        .collect();
    assert_eq!(shown[0], "'Hunter2Hunter2'");
    assert_eq!(shown[1], "'abcdefabcdef'");
    assert!(shown[2].starts_with("-----BEGIN") && shown[2].contains("MIIEvQIBADANBg"));
    assert_eq!(shown.len(), 3, "{shown:?}");
    let yaml = "stage:\n  deploy:\n    CRYPT_KEY: s3cr3tcryptkey\n    DB_PASSWORD: \"pw pw\"\n";
    let shown: Vec<&str> = text_secret_spans(yaml)
        .iter()
        .map(|s| &yaml[s.range()])
        .collect();
    assert_eq!(shown, ["s3cr3tcryptkey", "\"pw pw\""]);
    let message = "expected `,` or `]`, found `'Hunter2Hunter2'`";
    let spans = text_secret_spans(text);
    assert_eq!(
        mask_in_message(message, text, &spans),
        "expected `,` or `]`, found `Hunt…`"
    );
}

/// The plain text scan: every line the anchor search finds an anchor on.
fn text_secret_spans_plain(text: &str) -> Vec<Span> {
    let mut scan = TextScan::default();
    let mut next_line = 0;
    for found in line_anchors().find_iter(text) {
        if found.start() >= next_line {
            let line = line_around(text, found.start());
            next_line = line.end;
            scan.line(text, line);
        }
    }
    scan.finish(text)
}

/// Every text file of the fixtures (secrets, PEM blocks, CRLF lines, broken files), and
/// texts built around each anchor: the pair-guided scan finds what the plain one does.
#[test]
fn the_text_scan_visits_the_lines_the_anchor_search_does() {
    let mut texts: Vec<String> = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
    assert!(texts.len() > 100, "the fixtures are read");
    for anchor in ["PASS", "Secret", "kEy", "token", "-----"] {
        for around in ["", "x", "\r\n", "\n\n-----END"] {
            texts.push(format!(
                "a\n{around}{anchor}: '-----BEGIN x'\r\n{anchor}{around}\n"
            ));
        }
    }
    let mut found = 0;
    for text in &texts {
        let spans = text_secret_spans(text);
        found += spans.len();
        assert_eq!(spans, text_secret_spans_plain(text), "{text}");
    }
    assert!(found > 100, "the texts hold secrets: {found}");
}

#[test]
fn text_scan_is_safe_after_multibyte_characters() {
    let text = format!("# {}\ncrypt:\n  key: abcdefgh\n", "§".repeat(150));
    let spans = text_secret_spans(&text);
    assert_eq!(spans.len(), 1);
    assert_eq!(&text[spans[0].range()], "abcdefgh");
}

#[test]
fn is_secret_key_is_a_case_insensitive_ending_test() {
    let plain = |name: &str| {
        let lower = name.to_ascii_lowercase().replace('-', "_");
        SECRET_NAME_ENDINGS
            .iter()
            .any(|ending| lower.ends_with(ending))
    };
    let mut names: Vec<String> = vec![
        "".into(),
        "key".into(),
        "KEY".into(),
        "passive".into(),
        "bypass".into(),
        "monkey".into(),
        "_key".into(),
        "api".into(),
        "apiKey".into(),
        "x_API_KEY_y".into(),
        "api-key".into(),
        "tokens".into(),
        "Secretary".into(),
        "crypt".into(),
        "PASSWD".into(),
        "passphrase".into(),
        "encryption_key".into(),
        "encryptionkey".into(),
        format!("{}Password", "x".repeat(70)),
        "y".repeat(100),
        format!("{}token", "é".repeat(30)),
    ];
    // Every ending, cut and surrounded, in both cases.
    for ending in SECRET_NAME_ENDINGS {
        for (i, _) in ending.char_indices() {
            for (pre, post) in [("", ""), ("x", ""), ("", "_y"), ("pk", "ke"), ("db_", "")] {
                names.push(format!("{pre}{}{post}", &ending[..i]));
                names.push(format!("{pre}{}{post}", &ending[i..]));
                names.push(format!("{pre}{ending}{post}").to_ascii_uppercase());
            }
        }
    }
    for name in &names {
        assert_eq!(is_secret_key(name), plain(name), "{name}");
    }
}

/// A secret is what the setting holds, not a word its name mentions.
#[test]
fn settings_that_mention_a_secret_are_not_secrets() {
    for name in [
        "password",
        "db_password",
        "ADMIN_PASSWORD",
        "production_api_key",
        "sandbox_private_key",
        "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY",
        "access_token",
        "aws_secret_access_key",
        "client_secret",
        "CRYPT_KEY",
        "passphrase",
    ] {
        assert!(is_secret_key(name), "{name}");
    }
    for name in [
        "password_lifetime",
        "minimum_password_length",
        "password_is_forced",
        "reset_password_template",
        "forgot_email_template",
        "password_reset_protection_type",
        "max_number_password_reset_requests",
        "access_token_lifetime",
        "lockout_threshold",
        "private_key_file",
    ] {
        assert!(!is_secret_key(name), "{name}");
    }
}

#[test]
fn mask_json_masks_secret_settings_and_keeps_the_others() {
    let mut value = serde_json::json!({
        "db": {"connection": {"default": {"password": "Hunter2Hunter2"}}},
        "crypt": {"key": "0123456789abcdef"},
        "queue": {"amqp": {"password": 123456789}},
        "system": {"default": {
            "admin": {"security": {"password_lifetime": "90", "password_is_forced": "1"}},
            "customer": {"password": {
                "minimum_password_length": "8",
                "forgot_email_template": "customer_password_forgot_email_template"
            }}
        }}
    });
    mask_json(&mut value);
    let text = value.to_string();
    for secret in ["Hunter2Hunter2", "0123456789abcdef", "123456789"] {
        assert!(!text.contains(secret), "{text}");
    }
    let security = &value["system"]["default"]["admin"]["security"];
    assert_eq!(security["password_lifetime"], "90");
    assert_eq!(security["password_is_forced"], "1");
    let customer = &value["system"]["default"]["customer"]["password"];
    assert_eq!(customer["minimum_password_length"], "8");
    assert_eq!(
        customer["forgot_email_template"],
        "customer_password_forgot_email_template"
    );
}

#[test]
fn looks_like_private_key_is_a_substring_test() {
    let texts = [
        "",
        "Y",
        "KEY",
        "PRIVATE KEY",
        "RIVATE KEY",
        "PRIVATE KEYS",
        "xPRIVATE KEY",
        "PRIVATE  KEY",
        "private key",
        "YYYYYYYYYYYYPRIVATE KEY",
        "PRIVATE KEPRIVATE KEY",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
        "https://shop.example.com/YEARLY/",
        "§PRIVATE KEY§",
    ];
    for text in texts {
        assert_eq!(
            looks_like_private_key(text),
            text.contains("PRIVATE KEY"),
            "{text}"
        );
    }
}

#[test]
fn every_line_anchor_holds_an_anchor_pair() {
    for anchor in LINE_ANCHORS {
        assert_eq!(
            anchor,
            anchor.to_ascii_lowercase(),
            "anchors are in lower case"
        );
        let holds = pairs::ANCHOR_PAIRS
            .iter()
            .any(|pair| anchor.as_bytes().windows(2).any(|w| w == pair));
        assert!(holds, "{anchor}");
    }
}

#[test]
fn every_secret_ending_holds_a_prefilter_pair() {
    for ending in SECRET_NAME_ENDINGS {
        assert_eq!(
            *ending,
            ending.to_ascii_lowercase(),
            "endings are in lower case"
        );
        let holds = pairs::PAIRS
            .iter()
            .any(|pair| ending.as_bytes().windows(2).any(|w| w == pair));
        assert!(holds, "{ending}");
    }
}

#[test]
fn redact_keeps_length_lines_and_four_chars() {
    let text = "a => 'supersecret',\nb => 'x'";
    let start = text.find('\'').unwrap();
    let span = Span::new(start, start + "'supersecret'".len());
    let redacted = redact(text, &[span]);
    assert_eq!(redacted, "a => 'supe*******',\nb => 'x'");
    assert_eq!(redacted.len(), text.len());
    let multi = "k: |\n  -----BEGIN PRIVATE KEY-----\n  abc\n";
    let redacted = redact(multi, &[Span::new(3, multi.len())]);
    assert_eq!(redacted.lines().count(), multi.lines().count());
    assert!(!redacted.contains("BEGIN PRIVATE"));
}
