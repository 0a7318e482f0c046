//! No output prints a secret: files holding known fake secrets (API keys, PEM private keys,
//! database passwords, crypt keys) in PHP, YAML and JSON are checked in every format, dumped,
//! summarised as a footprint and recorded in a baseline, and none of it shows more than the
//! first four characters of any secret. The committed snapshots hold no fixture secret either.

mod common;
use common::{root, run_in};
use magelint::discover::{classify, SourcePath};
use magelint::syntax::{Key, Limits, Node, Value};
use std::path::{Path, PathBuf};

const FORMATS: &[&str] = &[
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "checkstyle",
];

const CRYPT: &str = "c0ffeeCryptKeyF4ke1111aaaa2222bbbb";
const DB_PASSWORD: &str = "DbPassw0rdF4ke-9f8e7d6c5b";
const API_KEY: &str = "prodApiKeyF4ke0123456789abcdef";
const SANDBOX_KEY: &str = "sandboxApiKeyF4ke9876543210fedcba";
const CLIENT_SECRET: &str = "clientSecretF4ke-77aa88bb99cc";
const PEM_BODY: &str = "MIIEvFAKEPRIVATEKEYBODYqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ";
const YAML_API_KEY: &str = "yamlApiKeyF4ke5555666677778888";
const YAML_CRYPT: &str = "yamlCryptKeyF4keDDDDeeeeFFFF0000";
const YAML_DB_PASSWORD: &str = "yamlDbPassw0rdF4ke-aabbccdd";
const JSON_API_KEY: &str = "jsonApiKeyF4ke1212343456567878";
const JSON_CRYPT: &str = "jsonCryptKeyF4ke9090abab0101cdcd";
const BROKEN_PASSWORD: &str = "brokenFilePassw0rdF4ke-0011";
const LATIN1_PASSWORD: &str = "latin1FilePassw0rdF4ke-2233";

const ALL: &[&str] = &[
    CRYPT,
    DB_PASSWORD,
    API_KEY,
    SANDBOX_KEY,
    CLIENT_SECRET,
    PEM_BODY,
    YAML_API_KEY,
    YAML_CRYPT,
    YAML_DB_PASSWORD,
    JSON_API_KEY,
    JSON_CRYPT,
    BROKEN_PASSWORD,
    LATIN1_PASSWORD,
];

fn pem() -> String {
    format!("-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n{PEM_BODY}\n-----END PRIVATE KEY-----")
}

/// The fake-secret tree: one site with PHP, one Cloud site with YAML, one JSON export, a file
/// that fails to parse and one that is not UTF-8 (both still shown in snippets).
fn write_tree(d: &Path) {
    let etc = |site: &str| {
        let dir = d.join(site).join("app/etc");
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    };
    let env_php = format!(
        "<?php\nreturn [\n    'MAGE_MODE' => 'production',\n    'crypt' => ['key' => '{CRYPT}'],\n    \
         'db' => ['connection' => ['default' => [\n        'host' => 'db', 'username' => 'magento',\n        \
         'password' => '{DB_PASSWORD}',\n        'password' => '{DB_PASSWORD}',\n    ]]],\n    \
         'oauth' => ['client_secret' => '{CLIENT_SECRET}'],\n    'system' => ['default' => [\n        \
         'services_connector' => [\n            'services_connector_integration' => [\n                \
         'production_api_key' => '{API_KEY}',\n                'sandbox_api_key' => '{SANDBOX_KEY}',\n                \
         'production_private_key' => '{}',\n                'sandbox_private_key' => 'not a pem {SANDBOX_KEY}',\n            ],\n        ],\n    ]],\n];\n",
        pem()
    );
    std::fs::write(etc("php").join("env.php"), env_php).expect("write");
    let pem_yaml: String = pem().lines().map(|l| format!("      {l}\n")).collect();
    let app_yaml = format!(
        "name: cloud\ntype: php:8.2\nvariables:\n  env:\n    \
         CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY: {YAML_API_KEY}\n    \
         CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY: |\n{pem_yaml}    \
         CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY: {YAML_API_KEY}\n"
    );
    etc("cloud");
    std::fs::write(d.join("cloud/.magento.app.yaml"), app_yaml).expect("write");
    let env_yaml = format!(
        "stage:\n  deploy:\n    CRYPT_KEY: {YAML_CRYPT}\n    DATABASE_CONFIGURATION:\n      connection:\n        \
         default:\n          password: {YAML_DB_PASSWORD}\n          password: {YAML_DB_PASSWORD}\n    \
         UNKNOWN_VARIABLE: 1\n"
    );
    std::fs::write(d.join("cloud/.magento.env.yaml"), env_yaml).expect("write");
    let env_json = format!(
        "{{\"MAGE_MODE\": \"developer\", \"crypt\": {{\"key\": \"{JSON_CRYPT}\"}},\n \"system\": {{\"default\": \
         {{\"services_connector\": {{\"services_connector_integration\": {{\n  \"production_api_key\": \"{JSON_API_KEY}\",\n  \
         \"production_api_key\": \"{JSON_API_KEY}\"}}}}}}}},\n \"db\": {{\"connection\": {{\"default\": {{\"password\": \"{DB_PASSWORD}\"}}}}}}}}\n"
    );
    std::fs::write(etc("json").join("env.json"), env_json).expect("write");
    let broken = format!(
        "<?php\nreturn [\n    'db' => ['connection' => ['default' => [\n        'password' => '{BROKEN_PASSWORD}' '{BROKEN_PASSWORD}',\n    ]]],\n];\n"
    );
    std::fs::write(etc("broken").join("env.php"), broken).expect("write");
    let mut latin1 =
        format!("<?php\nreturn [\n    'db' => ['password' => '{LATIN1_PASSWORD}'],\n    'x' => '")
            .into_bytes();
    latin1.extend(b"caf\xe9'];\n");
    std::fs::write(etc("latin1").join("env.php"), latin1).expect("write");
}

/// The pieces that would leak a secret: every 10-character window of it.
fn leaks(text: &str, secrets: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(10) {
            let piece: String = window.iter().collect();
            if text.contains(&piece) {
                found.push(format!("`{piece}` of `{secret}`"));
                break;
            }
        }
    }
    found
}

fn assert_no_leak(what: &str, text: &str, secrets: &[&str]) {
    let found = leaks(text, secrets);
    assert!(found.is_empty(), "{what} leaks {found:?}:\n{text}");
}

#[test]
fn no_output_format_prints_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    let mut findings = 0;
    for format in FORMATS {
        let out = run_in(
            dir.path(),
            &["check", "--select", "ALL", "--format", format, "."],
        );
        assert_eq!(out.code, 1, "{format}: {}{}", out.stdout, out.stderr);
        assert_no_leak(format, &format!("{}{}", out.stdout, out.stderr), ALL);
        findings += out.stdout.len();
    }
    assert!(findings > 0);
    // The findings that point at secrets are there (so the outputs were really exercised).
    let out = run_in(
        dir.path(),
        &["check", "--select", "ALL", "--format", "concise", "."],
    );
    for expected in [
        "php/app/etc/env.php:8:9: MG003",
        "json/app/etc/env.json:4:3: MG003",
        "broken/app/etc/env.php:4:53: E001",
        "latin1/app/etc/env.php:4:16: E003",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected} in\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("MS008"), "{}", out.stdout);
}

#[test]
fn no_map_format_prints_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    for format in ["text", "mermaid", "dot", "html", "json"] {
        let out = run_in(
            dir.path(),
            &["map", "--select", "ALL", "--format", format, "."],
        );
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert_no_leak(format, &format!("{}{}", out.stdout, out.stderr), ALL);
        // The findings about the secrets are drawn (so the format was really exercised).
        assert!(out.stdout.contains("MS008"), "{format}: {}", out.stdout);
    }
    // The CI summary too.
    let summary = dir.path().join("summary.md");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
        .args(["check", "--select", "ALL", "--format", "concise", "."])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert!(text.contains("MS008"), "{text}");
    assert_no_leak("step summary", &text, ALL);
}

#[test]
fn footprint_baseline_and_dump_print_no_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(dir.path());
    let d = dir.path();
    let footprint = run_in(d, &["footprint", "."]);
    assert_eq!(footprint.code, 0, "{}", footprint.stderr);
    assert_no_leak("footprint", &footprint.stdout, ALL);
    let baseline = d.join("baseline.json");
    let out = run_in(
        d,
        &[
            "check",
            "--select",
            "ALL",
            "--write-baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&baseline).expect("baseline written");
    assert!(text.len() > 100, "{text}");
    assert_no_leak(
        "baseline",
        &format!("{text}{}{}", out.stdout, out.stderr),
        ALL,
    );
    for file in [
        "php/app/etc/env.php",
        "cloud/.magento.app.yaml",
        "cloud/.magento.env.yaml",
        "json/app/etc/env.json",
        "latin1/app/etc/env.php",
    ] {
        let out = run_in(d, &["dump", file]);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        assert_no_leak(file, &format!("{}{}", out.stdout, out.stderr), ALL);
    }
    let broken = run_in(d, &["dump", "broken/app/etc/env.php"]);
    assert_eq!(broken.code, 2);
    assert_no_leak("dump of a broken file", &broken.stderr, ALL);
    // --show-secrets is the one way to see them.
    let shown = run_in(d, &["dump", "--show-secrets", "php/app/etc/env.php"]);
    assert!(shown.stdout.contains(API_KEY) && shown.stdout.contains(CRYPT));
}

/// A file with no finding of its own has its text dropped in a lean `check` and read back when
/// a fleet finding (MS001 here) points into it: the snippet around that finding masks the
/// secrets near it, in the tree and in a comment, like any other.
#[test]
fn secrets_stay_masked_in_a_file_read_back_for_a_fleet_finding() {
    const STAGING_PASSWORD: &str = "stagingDbPassw0rdF4ke-4455";
    const OLD_PASSWORD: &str = "commentedOldPassw0rdF4ke-6677";
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    let env = |url: &str, password: &str, comment: &str| {
        format!(
            "<?php\nreturn [\n    'MAGE_MODE' => 'production',\n    'db' => ['connection' => ['default' => [\n        \
             'password'\n            => '{password}',\n    {comment}]]],\n    'system' => ['default' => [\n        \
             'web' => ['secure' => ['base_url' => '{url}']],\n        'services_connector' => ['services_id' => [\n            \
             'environment_id' => '8eb8e3be-728d-4dea-8875-000000000001',\n            'password' => '{password}',\n        ]],\n    ]],\n];\n"
        )
    };
    let production = env("https://www.acme.eu/", "getenv", "");
    let production = production.replace("'getenv'", "getenv('DB_PASSWORD')");
    std::fs::write(etc.join("env.production.php"), production).expect("write");
    let staging = env(
        "https://mcstaging.acme.eu/",
        STAGING_PASSWORD,
        &format!("// 'password' => '{OLD_PASSWORD}',\n    "),
    );
    std::fs::write(etc.join("env.staging.php"), staging).expect("write");
    for format in FORMATS {
        let out = run_in(
            dir.path(),
            &["check", "--select", "MS001", "--format", format, "."],
        );
        assert_eq!(out.code, 1, "{format}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("MS001"), "{format}: {}", out.stdout);
        assert_no_leak(
            format,
            &format!("{}{}", out.stdout, out.stderr),
            &[STAGING_PASSWORD, OLD_PASSWORD],
        );
    }
    // The snippet really shows the lines around the finding (masked), so masking was exercised.
    let full = run_in(
        dir.path(),
        &["check", "--select", "MS001", "--format", "full", "."],
    );
    assert!(full.stdout.contains("'stag"), "{}", full.stdout);
}

/// The string values under secret keys (and PEM keys anywhere) in a parsed document.
fn secret_values(node: &Node, out: &mut Vec<String>) {
    let mut stack = vec![(node, false, false)];
    while let Some((node, secret, under_crypt)) = stack.pop() {
        match &node.value {
            Value::Array { entries, .. } => {
                for entry in entries {
                    let name = match &entry.key {
                        Key::Str(s) => s.as_str(),
                        Key::Int(_) => "",
                    };
                    let is_secret =
                        magelint::secrets::is_secret_key(name) || (under_crypt && name == "key");
                    stack.push((&entry.value, is_secret, name == "crypt"));
                }
            }
            Value::String(s) if secret || magelint::secrets::looks_like_private_key(s) => {
                // A PEM block's armour lines are no secret; its body is.
                for line in s.lines().filter(|l| !l.contains("-----")) {
                    out.push(line.trim().to_string());
                }
            }
            _ => {}
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn snapshots_hold_no_fixture_secret() {
    let mut files = Vec::new();
    files_under(&root().join("fixtures"), &mut files);
    // No snapshot is made from the expert scenarios (tests/scenarios.rs compares codes and lines),
    // and their placeholders and deploy-time tokens are kept as real repositories write them.
    let scenarios = root().join("fixtures/scenarios");
    files.retain(|path| !path.starts_with(&scenarios));
    let mut secrets = Vec::new();
    for path in &files {
        let Some((kind, format)) = classify(path) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let source = SourcePath {
            path: path.clone(),
            kind,
            format,
            explicit: true,
            git: Default::default(),
        };
        if let Ok(doc) = magelint::lint::parse(&source, &text, &Limits::default()) {
            secret_values(&doc.root, &mut secrets);
        }
    }
    // Placeholders (`<production-api-key>`, `changeme`) stand where a secret would; not secrets.
    secrets
        .retain(|s| s.chars().count() >= 10 && !magelint::model::key_material::is_placeholder(s));
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() >= 5,
        "fixtures hold fake secrets: {secrets:?}"
    );
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let mut snapshots = Vec::new();
    files_under(&root().join("tests/snapshots"), &mut snapshots);
    assert!(!snapshots.is_empty());
    for snapshot in snapshots {
        let text = std::fs::read_to_string(&snapshot).expect("snapshot");
        assert_no_leak(&snapshot.display().to_string(), &text, &secrets);
    }
}
