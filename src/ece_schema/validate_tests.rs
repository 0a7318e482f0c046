//! `validate` on whole files: the structures ece-tools cannot read, the findings' codes and
//! their wording.

use super::{choose, validate, EnvFinding};
use crate::schema::Problem;
use crate::syntax::{json, yaml, Limits};
use std::path::Path;

fn check(text: &str, pinned: Option<&str>) -> Vec<EnvFinding> {
    let lock = pinned.map(|v| {
        let text =
            format!(r#"{{"packages": [{{"name": "magento/ece-tools", "version": "{v}"}}]}}"#);
        json::parse(&text, &Limits::default()).expect("lock").root
    });
    let choice = choose(Path::new("/nonexistent-magelint"), lock.as_ref());
    let document = yaml::parse(text, &Limits::default()).expect("yaml");
    validate(&choice, &document.root)
}

fn summary(findings: &[EnvFinding]) -> Vec<(Problem, &str, Option<u16>)> {
    findings
        .iter()
        .map(|f| (f.problem, f.pointer.as_str(), f.code))
        .collect()
}

#[test]
fn structures_ece_tools_cannot_read_are_errors_without_a_code() {
    let found = check("stage: 5\n", None);
    assert_eq!(summary(&found), [(Problem::WrongType, "/stage", None)]);
    assert!(
        found[0].message.contains("PHP error"),
        "{}",
        found[0].message
    );
    let found = check("stage:\n  deploy: yes\n", None);
    assert_eq!(
        summary(&found),
        [(Problem::WrongType, "/stage/deploy", None)]
    );
    let found = check("stage:\n  deploy:\n    - SCD_THREADS\n", None);
    assert_eq!(
        summary(&found),
        [(Problem::WrongType, "/stage/deploy", None)]
    );
    assert!(
        found[0].message.contains("found a list"),
        "{}",
        found[0].message
    );
    let found = check("stage:\n  deploy:\n    SPLIT_DB: [[quote]]\n", None);
    assert_eq!(
        summary(&found),
        [(Problem::InvalidValue, "/stage/deploy/SPLIT_DB", None)]
    );
}

#[test]
fn ignored_stages_are_warnings_and_read_stages_are_checked() {
    let found = check("stage:\n  integraton: {}\n  deploy: {}\n  build:\n", None);
    assert_eq!(
        summary(&found),
        [(Problem::UnknownKey, "/stage/integraton", None)]
    );
    assert!(
        found[0].message.contains("did you mean `integration`")
            || found[0].message.contains("ignores")
    );
    let found = check("stage:\n  deplo:\n    SCD_THREADS: 2\n", None);
    assert_eq!(
        summary(&found),
        [(Problem::UnknownKey, "/stage/deplo/SCD_THREADS", Some(10))]
    );
    assert!(
        found[0].message.contains("did you mean `deploy`?"),
        "{}",
        found[0].message
    );
    assert!(check("- a\n", None).is_empty() && check("", None).is_empty());
    assert!(
        check("log:\n  x: 1\nother: 2\n", None).is_empty(),
        "only `stage` is ece-tools'"
    );
}

#[test]
fn wrong_type_and_wrong_stage_are_both_reported_and_values_only_when_typed() {
    let found = check(
        "stage:\n  deploy:\n    SCD_USE_BALER: 'yes'\n",
        Some("2002.1.17"),
    );
    assert_eq!(
        summary(&found),
        [
            (Problem::WrongType, "/stage/deploy/SCD_USE_BALER", Some(10)),
            (Problem::UnknownKey, "/stage/deploy/SCD_USE_BALER", Some(10))
        ]
    );
    assert!(found[0]
        .message
        .contains("ece-tools 10 BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML"));
    assert_eq!(
        found[0].help.as_deref(),
        Some("write true or false: ece-tools reads `yes` as a string")
    );
    assert_eq!(
        found[1].help.as_deref(),
        Some("move it under `stage.global` or `stage.build`")
    );
    // A wrong type hides the value check, as in ece-tools.
    let found = check("stage:\n  build:\n    SCD_COMPRESSION_LEVEL: 12.0\n", None);
    assert_eq!(
        summary(&found),
        [(
            Problem::WrongType,
            "/stage/build/SCD_COMPRESSION_LEVEL",
            Some(10)
        )]
    );
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.starts_with("write 12:")));
    // A value only known at run time is not checked.
    assert!(check(
        "stage:\n  deploy:\n    SCD_THREADS: !php/const Foo::BAR\n",
        None
    )
    .is_empty());
}

#[test]
fn messages_say_what_to_write() {
    let found = check("stage:\n  build:\n    SCD_STRATEGY: ''\n", None);
    assert!(found[0]
        .message
        .contains("must be one of 'compact', 'quick', 'standard'"));
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("only the variable's default")));
    let found = check("stage:\n  deploy:\n    SCD_STRATEGY: Quick\n", None);
    assert_eq!(
        found[0].help.as_deref(),
        Some("did you mean 'quick'? Values are case-sensitive")
    );
    let found = check("stage:\n  global:\n    ENV_ROUTES: X\n", None);
    assert!(
        found[0].message.contains("no stage variable"),
        "{}",
        found[0].message
    );
    let found = check("stage:\n  deploy:\n    USE_LUA: true\n", Some("2002.1.17"));
    assert_eq!(
        found[0].message,
        "`USE_LUA` is not a variable of ece-tools 2002.1.17: it arrived in ece-tools 2002.1.19 (ece-tools 10 BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML: the build stops)"
    );
    assert!(check("stage:\n  deploy:\n    USE_LUA: true\n", Some("2002.1.19")).is_empty());
    let found = check("stage:\n  global:\n    SCD_ON_DEMMAND: true\n", None);
    assert!(found[0].message.contains("did you mean `SCD_ON_DEMAND`?"));
}

#[test]
fn releases_older_than_every_bundled_schema_get_warnings_without_a_code() {
    let text = "stage:\n  global:\n    SCD_EXCLUDE_THEMES: ''\n    SCD_THREADS: 2.0\n";
    let found = check(text, Some("2002.0.10"));
    assert_eq!(
        summary(&found),
        [
            (
                Problem::UnknownKey,
                "/stage/global/SCD_EXCLUDE_THEMES",
                None
            ),
            (Problem::WrongType, "/stage/global/SCD_THREADS", None)
        ]
    );
    assert!(found
        .iter()
        .all(|f| f.severity == Some(crate::diagnostic::Severity::Warning)));
    assert!(found[0]
        .message
        .ends_with("by the schema of ece-tools 2002.1; magelint has none of ece-tools 2002.0.10"));
    let exact = check(text, Some("2002.1.0"));
    assert!(exact.iter().all(|f| f.code == Some(10)), "{exact:?}");
}
