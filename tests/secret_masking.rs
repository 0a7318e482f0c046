//! MS008 reports a secret without printing it: every output format shows only its first four
//! characters.

mod common;
use common::run;

/// The clear-text secrets written in fixtures/rules/MS008/fires.
const SECRETS: &[(&str, &str)] = &[
    ("f3b1c2d9e7a44b6c80d1e2f3a4b5c6d7", "f3b1…"),
    ("7c1e9a0b2d4f46e8a1b3c5d7e9f0a2b4", "7c1e…"),
    (
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
        "----…",
    ),
];

#[test]
fn ms008_never_prints_a_secret_in_any_format() {
    for format in ["full", "concise", "json"] {
        let out = run(&[
            "check",
            "--format",
            format,
            "--select",
            "MS008",
            "fixtures/rules/MS008/fires",
        ]);
        assert_eq!(
            out.code, 1,
            "{format}: findings expected\n{}{}",
            out.stdout, out.stderr
        );
        let text = format!("{}{}", out.stdout, out.stderr);
        for (secret, masked) in SECRETS {
            // Any 8-character piece of the secret would already be a leak.
            for window in secret.as_bytes().windows(8) {
                let piece = std::str::from_utf8(window).unwrap_or_default();
                assert!(
                    !text.contains(piece),
                    "{format} output leaks `{piece}` of a secret:\n{text}"
                );
            }
            assert!(
                text.contains(masked),
                "{format} output lacks the masked form {masked}:\n{text}"
            );
        }
    }
}
