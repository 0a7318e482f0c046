//! Machine output formats on the demo fleet: snapshots, schema validation, masking, XML shape.

mod common;
use common::{root, run, run_in, Output};
use serde_json::Value;
use std::process::Command;

/// Every value of `--format`.
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

/// The plaintext API key in fixtures/demo/sites/us/app/etc/env.php.
const DEMO_API_KEY: &str = "c2FuZGJveC1hcGkta2V5LWRlbW8tMDAwMDAwMDAwMDAw";

fn demo(format: &str) -> Output {
    let out = run(&["check", "--format", format, "fixtures/demo"]);
    assert_eq!(out.code, 1, "{format}: {}", out.stderr);
    out
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{text}"))
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect("schema file");
    json(&text)
}

/// The stray `]` in the SARIF schema's `language` patterns (on `run` and `toolComponent`).
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// Removes every `"pattern": BROKEN_LANGUAGE_PATTERN`, returning how many it removed.
fn drop_broken_patterns(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut removed = 0;
            if map.get("pattern").and_then(Value::as_str) == Some(BROKEN_LANGUAGE_PATTERN) {
                map.remove("pattern");
                removed += 1;
            }
            removed + map.values_mut().map(drop_broken_patterns).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(drop_broken_patterns).sum(),
        _ => 0,
    }
}

/// The vendored SARIF 2.1.0 schema, less one known defect of the published schema: its
/// `language` patterns have a stray `]`, so the meta-schema's `format: regex` rejects the schema.
/// Those patterns are dropped in memory (magelint never writes `language`); the file stays as
/// published.
fn sarif_schema() -> Value {
    let mut schema = load("tests/data/sarif-2.1.0.schema.json");
    assert_eq!(
        drop_broken_patterns(&mut schema),
        2,
        "the known defect changed"
    );
    schema
}

/// A validator for `schema` (its own draft) that also checks `format`s (uri, …).
fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

/// Validates `instance` against `schema`, listing every error on failure.
fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = validator(schema);
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_format_snapshot_on_demo() {
    for format in FORMATS {
        let out = demo(format);
        insta::assert_snapshot!(format!("demo_{}", format.replace('-', "_")), out.stdout);
    }
}

#[test]
fn no_format_prints_the_demo_api_key() {
    for format in FORMATS {
        let out = demo(format);
        assert!(
            !out.stdout.contains(DEMO_API_KEY) && !out.stderr.contains(DEMO_API_KEY),
            "--format {format} prints the demo API key in full"
        );
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_lists_every_rule() {
    let sarif = json(&demo("sarif").stdout);
    assert_valid(&sarif_schema(), &sarif, "SARIF output");
    // The validation has teeth: a level SARIF does not know is caught.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator(&sarif_schema()).is_valid(&broken));
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), magelint::rules::RULES.len());
    for (rule, registered) in rules.iter().zip(magelint::rules::RULES) {
        assert_eq!(rule["id"], registered.meta.code);
        assert!(rule["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## What it does")));
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let model = json(&demo("json").stdout);
    for (result, diagnostic) in results.iter().zip(model["diagnostics"].as_array().unwrap()) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], diagnostic["code"]);
        assert_eq!(
            result["partialFingerprints"]["magelint/v1"],
            diagnostic["fingerprint"]
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], diagnostic["location"]["start"]["line"]);
        assert_eq!(
            region["startColumn"],
            diagnostic["location"]["start"]["column"]
        );
        assert_eq!(region["endColumn"], diagnostic["location"]["end"]["column"]);
    }
}

#[test]
fn json_and_json_lines_match_the_output_schema() {
    let schema = load("schemas/magelint-output.schema.json");
    let model = json(&demo("json").stdout);
    assert_valid(&schema, &model, "json output");

    // Each json-lines record is one `diagnostics` item: the same objects, in the same order.
    let lines = demo("json-lines").stdout;
    let records: Vec<Value> = lines.lines().map(json).collect();
    assert_eq!(Value::Array(records.clone()), model["diagnostics"]);
    let mut rebuilt = model.clone();
    rebuilt["diagnostics"] = Value::Array(records);
    assert_valid(&schema, &rebuilt, "json-lines records");

    // The schema is strict enough to catch a misspelt field.
    let mut broken = model;
    broken["diagnostics"][0]["locaton"] = Value::Null;
    assert!(!validator(&schema).is_valid(&broken));
}

#[test]
fn gitlab_issues_have_the_required_fields_and_unique_fingerprints() {
    let issues = json(&demo("gitlab").stdout);
    let issues = issues.as_array().expect("a JSON array");
    assert!(!issues.is_empty());
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
        .collect();
    for issue in issues {
        let code = issue["check_name"].as_str().expect("check_name");
        assert!(issue["description"].as_str().unwrap().starts_with(code));
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].is_string());
        assert!(
            issue["location"]["positions"]["begin"]["line"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    let count = fingerprints.len();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count, "fingerprints repeat");
}

/// A small well-formedness check: declaration first, tags balanced and properly nested, attribute
/// values quoted, `&` only in the five entities or numeric references, one root element.
fn assert_well_formed(xml: &str) {
    let rest = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut chars = rest;
    let check_text = |text: &str| {
        let mut parts = text.split('&');
        parts.next();
        for part in parts {
            let entity = part.split(';').next().unwrap_or("");
            let ok = ["amp", "lt", "gt", "quot", "apos"].contains(&entity)
                || entity
                    .strip_prefix('#')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            assert!(ok && part.contains(';'), "bad entity in {text:?}");
        }
        assert!(!text.contains('>'), "raw > in {text:?}");
    };
    while let Some(open) = chars.find('<') {
        let text = &chars[..open];
        check_text(text);
        if stack.is_empty() {
            assert!(text.trim().is_empty(), "text outside the root: {text:?}");
        }
        let after = &chars[open + 1..];
        // Find the closing `>` outside quoted attribute values.
        let mut quoted = false;
        let mut close = None;
        for (i, c) in after.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '<' => panic!("raw < inside a tag: {after:?}"),
                '>' if !quoted => {
                    close = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let close = close.expect("unterminated tag");
        let tag = &after[..close];
        chars = &after[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().expect("tag name");
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "bad tag name {name:?}"
        );
        // Attributes: name="value" pairs.
        let mut attrs = tag[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs.find("=\"").expect("attribute without quoted value");
            let end = attrs[eq + 2..].find('"').expect("unterminated attribute") + eq + 2;
            check_text(&attrs[eq + 2..end]);
            attrs = attrs[end + 1..].trim_start();
        }
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    check_text(chars);
    assert!(chars.trim().is_empty(), "trailing text {chars:?}");
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

#[test]
fn xml_outputs_are_well_formed() {
    for format in ["junit", "checkstyle"] {
        let out = demo(format);
        assert_well_formed(&out.stdout);
    }
    let junit = demo("junit").stdout;
    let model = json(&demo("json").stdout);
    let findings = model["diagnostics"].as_array().unwrap().len();
    assert_eq!(junit.matches("<failure ").count(), findings);
    assert!(junit.contains(&format!(
        "<testsuites name=\"magelint\" tests=\"{findings}\" failures=\"{findings}\""
    )));
    let checkstyle = demo("checkstyle").stdout;
    assert_eq!(checkstyle.matches("<error ").count(), findings);
    assert!(checkstyle.contains("source=\"magelint.MS001\""));
}

#[test]
fn the_well_formedness_check_rejects_broken_xml() {
    for broken in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b></a></b>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a x=\"1 & 2\"/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/><b/>",
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_well_formed(broken)).is_err(),
            "accepted {broken}"
        );
    }
}

#[test]
fn clean_runs_are_empty_or_passing_in_every_machine_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::write(
        etc.join("config.php"),
        "<?php\nreturn ['modules' => ['Magento_Store' => 1]];\n",
    )
    .expect("write");
    // Declared, so not even the ML003 nudge about an unknown tier remains.
    std::fs::write(
        dir.path().join(".magelint.yaml"),
        "installations:\n  - path: .\n    sites: { production: production }\n",
    )
    .expect("write");
    let clean = |format: &str| {
        let out = run_in(dir.path(), &["check", "--format", format]);
        assert_eq!(out.code, 0, "{format}: {}{}", out.stdout, out.stderr);
        out.stdout
    };
    assert_eq!(clean("json-lines"), "");
    assert_eq!(json(&clean("gitlab")), serde_json::json!([]));
    let sarif = json(&clean("sarif"));
    assert_valid(&sarif_schema(), &sarif, "clean SARIF");
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    let junit = clean("junit");
    assert_well_formed(&junit);
    assert_eq!(junit.matches("<testcase ").count(), 1);
    assert!(!junit.contains("<failure"));
    let checkstyle = clean("checkstyle");
    assert_well_formed(&checkstyle);
    assert!(!checkstyle.contains("<file"));
    assert!(!clean("github").contains("::"));
}

#[test]
fn github_actions_gets_annotations_by_default() {
    let run_with = |value: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_magelint"));
        command
            .args(["check", "fixtures/demo"])
            .current_dir(root())
            .env("NO_COLOR", "1");
        match value {
            Some(v) => command.env("GITHUB_ACTIONS", v),
            None => command.env_remove("GITHUB_ACTIONS"),
        };
        let output = command.output().expect("the magelint binary runs");
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let annotated = run_with(Some("true"));
    assert!(
        annotated.lines().any(|l| l.starts_with("::error file=")),
        "{annotated}"
    );
    assert_eq!(annotated, demo("github").stdout);
    // Anything but `true` keeps the piped default.
    assert_eq!(run_with(Some("false")), demo("concise").stdout);
    assert_eq!(run_with(None), demo("concise").stdout);
}

#[test]
fn help_documents_the_automatic_choice() {
    let out = run(&["check", "--help"]);
    assert!(out.stdout.contains("GITHUB_ACTIONS=true"), "{}", out.stdout);
    for format in FORMATS {
        assert!(out.stdout.contains(format), "--help lacks {format}");
    }
}
