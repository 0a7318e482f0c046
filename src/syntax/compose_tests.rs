use super::*;
use crate::syntax::{yaml, Limits};

/// The environment of `service` as (name, name as written, value, value as written); a
/// dynamic value as `dyn:…`.
fn environment(text: &str, service: &str) -> Vec<(String, String, String, String)> {
    let mut document = yaml::parse(text, &Limits::default()).expect("YAML parses");
    read_environment(&mut document, text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let node = document
        .root
        .path(&format!("services/{service}/environment"))
        .expect("an environment");
    node.value
        .entries()
        .iter()
        .map(|e| {
            let value = match &e.value.value {
                Value::String(s) => s.to_string(),
                Value::Dynamic(source) => format!("dyn:{source}"),
                other => panic!("unexpected {other:?}"),
            };
            let key_span = e.key_span.get().expect("names are written");
            (
                e.key.to_string(),
                text[key_span.range()].to_string(),
                value,
                text[e.value.span.range()].to_string(),
            )
        })
        .collect()
}

fn var(name: &str, value: &str, written: &str) -> (String, String, String, String) {
    (name.into(), name.into(), value.into(), written.into())
}

#[test]
fn map_form() {
    let text = "services:\n  php:\n    image: php\n    environment:\n      MAGE_MODE: developer\n      CONFIG__A: 'quoted'\n      CONFIG__B: ${FROM_ENV}\n      CONFIG__C: \"pa$$word\"\n      PORT: 8080\n      DEBUG: true\n      PASSED:\n";
    assert_eq!(
        environment(text, "php"),
        vec![
            var("MAGE_MODE", "developer", "developer"),
            var("CONFIG__A", "quoted", "'quoted'"),
            var("CONFIG__B", "dyn:${FROM_ENV}", "${FROM_ENV}"),
            var("CONFIG__C", "pa$word", "\"pa$$word\""),
            var("PORT", "8080", "8080"),
            var("DEBUG", "true", "true"),
            (
                "PASSED".into(),
                "PASSED".into(),
                "dyn:${PASSED}".into(),
                String::new()
            ),
        ]
    );
}

#[test]
fn list_form_points_into_the_item() {
    let text = "services:\n  php:\n    environment:\n      - MAGE_MODE=developer\n      - \"CONFIG__A=a=b\"\n      - CONFIG__B=\"kept\"\n      - CONFIG__C=${X:-fallback}\n      - PASSED\n      - 'CONFIG__D=it''s'\n";
    let got = environment(text, "php");
    assert_eq!(
        got[..5],
        [
            var("MAGE_MODE", "developer", "developer"),
            var("CONFIG__A", "a=b", "a=b"),
            var("CONFIG__B", "\"kept\"", "\"kept\""),
            var("CONFIG__C", "dyn:${X:-fallback}", "${X:-fallback}"),
            var("PASSED", "dyn:${PASSED}", "PASSED"),
        ]
    );
    // An escaped quote: the item is not written as it reads; both spans are the item's.
    assert_eq!(got[5].0, "CONFIG__D");
    assert_eq!(got[5].2, "it's");
    assert_eq!(got[5].3, "'CONFIG__D=it''s'");
}

#[test]
fn a_list_keeps_its_list_mark_and_the_last_value_wins() {
    let text = "services:\n  php:\n    environment:\n      - A=1\n      - A=2\n";
    let mut document = yaml::parse(text, &Limits::default()).expect("YAML parses");
    read_environment(&mut document, text).expect("compose reads it");
    let node = document
        .root
        .path("services/php/environment")
        .expect("there");
    assert!(matches!(node.value, Value::Array { list: true, .. }));
    assert_eq!(node.value.entries().len(), 1);
    assert_eq!(
        node.get("A").map(|n| &n.value),
        Some(&Value::String("2".into()))
    );
    assert_eq!(document.duplicates.len(), 1);
    assert_eq!(
        document.duplicates[0].pointer(),
        "/services/php/environment/A"
    );
}

#[test]
fn anchors_point_at_their_definition() {
    let text = "x-env: &env\n  CONFIG__A: one\nservices:\n  php:\n    environment: *env\n  cron:\n    environment:\n      <<: *env\n      CONFIG__B: two\n";
    assert_eq!(
        environment(text, "php"),
        vec![var("CONFIG__A", "one", "one")]
    );
    assert_eq!(
        environment(text, "cron"),
        vec![
            var("CONFIG__A", "one", "one"),
            var("CONFIG__B", "two", "two")
        ]
    );
}

#[test]
fn other_services_and_files_without_services_are_left_alone() {
    let text = "version: '3'\nvolumes:\n  data: {}\n";
    let mut document = yaml::parse(text, &Limits::default()).expect("YAML parses");
    let before = document.clone();
    read_environment(&mut document, text).expect("nothing to read");
    assert_eq!(document, before);
}

#[test]
fn what_compose_refuses_is_a_parse_error() {
    for (text, at, message) in [
        (
            "services:\n  php:\n    environment: yes-please\n",
            "yes-please",
            "is a string",
        ),
        (
            "services:\n  php:\n    environment:\n      A: [1]\n",
            "[1]",
            "is a mapping or list",
        ),
        (
            "services:\n  php:\n    environment:\n      - 5\n",
            "5",
            "is an integer",
        ),
        (
            "services:\n  php:\n    environment:\n      A: ab${\n",
            "${",
            "invalid interpolation",
        ),
        (
            "services:\n  php:\n    environment:\n      - A=${1}\n",
            "${1}",
            "invalid interpolation",
        ),
    ] {
        let mut document = yaml::parse(text, &Limits::default()).expect("YAML parses");
        let error = read_environment(&mut document, text).expect_err(text);
        assert_eq!(
            Some(error.span.start as usize),
            text.find(at),
            "{text}: {error}"
        );
        assert!(error.message.contains(message), "{text}: {error}");
    }
}
