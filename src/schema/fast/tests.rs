//! Unit tests of the fast path's compiler and its corner cases; the differential test over real
//! files and mutations is tests/schema_fast.rs.

use super::{pattern, Fast};
use crate::syntax::{Document, Entry, Key, Node, Span, Value};
use serde_json::{json, Value as Json};

fn node(value: Value) -> Node {
    Node::new(value, Span::default())
}

fn object(entries: Vec<(&str, Value)>) -> Value {
    Value::Array {
        entries: entries
            .into_iter()
            .map(|(k, v)| Entry {
                key: Key::Str(k.into()),
                key_span: crate::syntax::KeySpan::NONE,
                value: node(v),
            })
            .collect(),
        list: false,
    }
}

fn fast_valid(schema: &Json, root: Value) -> bool {
    let fast = Fast::compile(schema).expect("supported schema");
    fast.certainly_valid(&Document::new(node(root)))
}

fn exact_valid(schema: &Json, instance: &Json) -> bool {
    jsonschema::draft202012::new(schema)
        .expect("schema compiles")
        .is_valid(instance)
}

#[test]
fn unsupported_keywords_and_refs_get_no_fast_validator() {
    for schema in [
        json!({"minLength": 1}),
        json!({"const": 1}),
        json!({"properties": {"a": {"anyOf": [{"type": "string"}]}}}),
        json!({"$ref": "other.json#/$defs/a"}),
        json!({"$ref": "#/$defs/missing", "$defs": {}}),
        json!({"items": {"$id": "https://example.com/nested"}}),
        json!({"type": "whatever"}),
        json!({"maximum": 1.5}),
        json!({"pattern": "^\\d+$"}),
    ] {
        assert!(Fast::compile(&schema).is_none(), "{schema}");
    }
    let output: Json =
        serde_json::from_str(crate::schema::text("magelint-output").expect("bundled"))
            .expect("json");
    assert!(Fast::compile(&output).is_none(), "uses const and minLength");
}

#[test]
fn every_applied_schema_compiles_to_a_fast_validator() {
    for (name, text) in crate::schema::SCHEMAS {
        // The shapes of magelint's own outputs are applied to no file.
        if *name == "magelint-output" || *name == "magelint-map" {
            continue;
        }
        let schema: Json = serde_json::from_str(text).expect("json");
        assert!(Fast::compile(&schema).is_some(), "{name}");
    }
}

#[test]
fn recursive_refs_compile_and_validate() {
    let schema = json!({
        "$ref": "#/$defs/tree",
        "$defs": {"tree": {"type": "object", "additionalProperties": {"$ref": "#/$defs/tree"}}}
    });
    let leaf = object(vec![]);
    assert!(fast_valid(
        &schema,
        object(vec![("a", object(vec![("b", leaf)]))])
    ));
    assert!(!fast_valid(
        &schema,
        object(vec![("a", object(vec![("b", Value::Int(1))]))])
    ));
}

#[test]
fn a_dynamic_value_excuses_itself_but_not_its_key() {
    let schema = json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false});
    let dynamic = || Value::Dynamic("getenv('A')".into());
    assert!(fast_valid(&schema, object(vec![("a", dynamic())])));
    assert!(!fast_valid(&schema, object(vec![("b", dynamic())])));
    let required = json!({"required": ["a"]});
    assert!(!fast_valid(&required, object(vec![("b", dynamic())])));
}

#[test]
fn floats_are_left_to_the_exact_path_where_subtle() {
    let float = || Value::Float(1.0);
    // A zero fraction is an integer to JSON Schema (`SCD_THREADS: 2.0`), within 2^53.
    assert!(fast_valid(&json!({"type": "integer"}), float()));
    assert!(exact_valid(&json!({"type": "integer"}), &json!(1.0)));
    assert!(exact_valid(
        &json!({"minimum": 0, "maximum": 1}),
        &json!(1.0)
    ));
    assert!(!fast_valid(&json!({"type": "integer"}), Value::Float(1.5)));
    assert!(!fast_valid(
        &json!({"type": "integer"}),
        Value::Float(1e300)
    ));
    assert!(!fast_valid(&json!({"enum": [0, 1]}), float()));
    assert!(fast_valid(&json!({"minimum": 0, "maximum": 1}), float()));
    assert!(!fast_valid(&json!({"minimum": 2}), float()));
    assert!(!fast_valid(&json!({"maximum": 0}), float()));
    assert!(fast_valid(&json!({"type": ["string", "number"]}), float()));
    // json_encode cannot print NAN; to_json makes it null.
    assert!(fast_valid(&json!({"type": "null"}), Value::Float(f64::NAN)));
}

#[test]
fn empty_php_array_is_a_list_and_empty_mapping_an_object() {
    let schema = json!({"type": "object", "required": ["a"]});
    let empty = |list| Value::Array {
        entries: Vec::new(),
        list,
    };
    assert!(!fast_valid(&schema, empty(true)), "[] is an array");
    assert!(!fast_valid(&schema, empty(false)), "{{}} lacks a");
    let either = json!({"type": ["object", "array"], "maxItems": 0, "required": ["a"]});
    assert!(
        fast_valid(&either, empty(true)),
        "required does not apply to arrays"
    );
}

/// Strings that probe anchors, classes and line ends for every bundled pattern.
fn probes(pattern: &str) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "a",
        "A",
        "0",
        "SCH001",
        "ALL",
        "ALLX",
        "MS",
        "sch001",
        "php:8.3",
        "php:8",
        "php:",
        "php:8.3.1",
        "php:8.",
        "mysql:10.6",
        "redis:7.2-x",
        "mysql:",
        ":8",
        "a:b",
        "a_b-c:d_e",
        "app:http",
        "app:HTTP",
        "app",
        "app:",
        "élan:x",
        "a b",
        "SCH001\n",
        "\nSCH001",
        "ALL\r",
        "php:8.3\n",
        "A1\u{2028}",
        "ΣCH1",
        "a:b:c",
        "-:-",
        "_:_",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every printable ASCII character alone, before, inside and after a known match.
    for c in (0x20u8..0x7f)
        .map(char::from)
        .chain(['\n', '\t', 'é', '\u{0}'])
    {
        for base in ["SCH001", "php:8.3", "mysql:10.6", "app:http", "a:b"] {
            out.push(format!("{c}{base}"));
            out.push(format!("{base}{c}"));
            let mid = base.len() / 2;
            out.push(format!("{}{c}{}", &base[..mid], &base[mid..]));
        }
        out.push(c.to_string());
    }
    out.push(pattern.to_string());
    out
}

#[test]
fn bundled_patterns_match_exactly_as_jsonschema_does() {
    let mut patterns = Vec::new();
    for (name, text) in crate::schema::SCHEMAS {
        if *name == "magelint-output" {
            continue;
        }
        collect_patterns(&serde_json::from_str(text).expect("json"), &mut patterns);
    }
    assert!(patterns.len() >= 4, "{patterns:?}");
    let mut compared = 0;
    for source in &patterns {
        let ours = pattern(source).unwrap_or_else(|| panic!("{source} is not supported"));
        let schema = json!({"pattern": source});
        for probe in probes(source) {
            let theirs = exact_valid(&schema, &Json::String(probe.clone()));
            assert_eq!(ours.is_match(&probe), theirs, "{source} on {probe:?}");
            compared += 1;
        }
    }
    assert!(compared > 1000);
}

fn collect_patterns(json: &Json, out: &mut Vec<String>) {
    match json {
        Json::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("pattern", Json::String(p)) => out.push(p.clone()),
                    _ => collect_patterns(v, out),
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

#[test]
fn patterns_beyond_the_shared_dialect_are_refused() {
    for source in [
        "^a.b$",
        "\\d",
        "\\w+",
        "\\s",
        "\\bx",
        "(?=a)",
        "(?i)a",
        "[[:alpha:]]",
        "é",
        "[a",
        "\\",
        "a\nb",
    ] {
        assert!(pattern(source).is_none(), "{source}");
    }
    for source in ["^[a-z]+$", "^a\\.b(-c)?$", "^(x|y){2,3}$", "[.-]"] {
        assert!(pattern(source).is_some(), "{source}");
    }
}
