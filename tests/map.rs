//! `magelint map`: snapshots of every text format on the demo and on the fixtures of the rules
//! it draws (MS001, MS002, MS005), the JSON model against its schema, the findings placed where
//! they belong, and the CI summary `check` appends to `GITHUB_STEP_SUMMARY`.

mod common;
use common::{root, run};
use serde_json::Value;

const SUBJECTS: &[(&str, &str)] = &[
    ("demo", "fixtures/demo"),
    ("ms001", "fixtures/rules/MS001/fires"),
    ("ms002", "fixtures/rules/MS002/fires"),
    ("ms005", "fixtures/rules/MS005/fires"),
];

fn map(path: &str, format: &str) -> String {
    let out = run(&["map", "--format", format, path]);
    assert_eq!(out.code, 0, "map {format} {path}: {}", out.stderr);
    out.stdout
}

fn model(path: &str) -> Value {
    serde_json::from_str(&map(path, "json")).expect("map --format json is JSON")
}

#[test]
fn snapshots() {
    for (name, path) in SUBJECTS {
        for format in ["text", "mermaid", "dot", "json"] {
            insta::assert_snapshot!(format!("map_{name}_{format}"), map(path, format));
        }
    }
}

#[test]
fn json_matches_its_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/magelint-map.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for (_, path) in SUBJECTS {
        let instance = model(path);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    // Strict enough to catch a misspelt field.
    let mut broken = model("fixtures/demo");
    broken["installations"][0]["sitez"] = Value::Null;
    assert!(!validator.is_valid(&broken));
    // `magelint schema` serves it.
    let listed = run(&["schema"]).stdout;
    assert!(listed.lines().any(|l| l == "magelint-map"), "{listed}");
}

fn sites(model: &Value) -> Vec<&Value> {
    model["installations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| i["sites"].as_array().into_iter().flatten())
        .collect()
}

fn codes(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str())
        .collect()
}

#[test]
fn ms001_is_on_the_edge_of_the_staging_site() {
    let model = model("fixtures/rules/MS001/fires");
    let staging = sites(&model)
        .into_iter()
        .find(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.ends_with("env.staging.php"))
        })
        .expect("the staging site");
    assert!(codes(&staging["findings"]).contains(&"MS001"));
    let edges: Vec<&Value> = model["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["findings"].as_array().is_some_and(|f| !f.is_empty()))
        .collect();
    // Every flagged edge is an MS001 from a non-production site to a Production data space;
    // the staging site's is one of them.
    assert!(
        edges.iter().all(|e| e["findings"][0] == "MS001"),
        "{edges:?}"
    );
    let edge = edges
        .iter()
        .find(|e| e["site"] == staging["id"])
        .expect("the staging site's edge");
    assert_eq!(edge["kind"], "environment");
    let space = model["data_spaces"]
        .as_array()
        .expect("data spaces")
        .iter()
        .find(|d| d["id"] == edge["data_space"])
        .expect("the edge's data space");
    assert_eq!(space["type"], "production");
    let mermaid = map("fixtures/rules/MS001/fires", "mermaid");
    assert!(mermaid.contains("linkStyle"), "{mermaid}");
    let dot = map("fixtures/rules/MS001/fires", "dot");
    assert!(dot.contains("label=\"MS001\""), "{dot}");
}

#[test]
fn ms002_is_on_both_sites_with_the_shared_code() {
    let model = model("fixtures/rules/MS002/fires");
    let marked: Vec<&Value> = sites(&model)
        .into_iter()
        .filter(|s| codes(&s["findings"]).contains(&"MS002"))
        .collect();
    assert!(marked.len() >= 2, "{model}");
    // A collision between installations names the shared code, which the site writes (two
    // deployments of one installation share every code: that finding names none).
    let mut with_code = 0;
    for site in marked {
        for finding in site["findings"].as_array().expect("findings") {
            let Some(code) = finding["website_code"].as_str() else {
                continue;
            };
            with_code += 1;
            assert!(site["website_codes"]
                .as_array()
                .expect("codes")
                .iter()
                .any(|c| c == code));
        }
    }
    assert!(with_code >= 2, "{model}");
}

#[test]
fn ms005_is_on_the_project() {
    let model = model("fixtures/rules/MS005/fires");
    let projects: Vec<&Value> = model["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter(|p| codes(&p["findings"]).contains(&"MS005"))
        .collect();
    assert!(!projects.is_empty(), "{model}");
    assert!(projects.iter().all(|p| p["id"].is_string()));
    assert!(sites(&model)
        .iter()
        .all(|s| !codes(&s["findings"]).contains(&"MS005")));
}

#[test]
fn counts_equal_check() {
    // The map draws the findings `check` reports: the same number per code.
    for (_, path) in SUBJECTS {
        let check: Value = serde_json::from_str(&run(&["check", "--format", "json", path]).stdout)
            .expect("check json");
        let mut expected = std::collections::BTreeMap::<String, u64>::new();
        for d in check["diagnostics"].as_array().expect("diagnostics") {
            *expected
                .entry(d["code"].as_str().expect("code").to_string())
                .or_default() += 1;
        }
        let model = model(path);
        let counted: std::collections::BTreeMap<String, u64> =
            serde_json::from_value(model["counts"].clone()).expect("counts");
        assert_eq!(counted, expected, "{path}");
    }
}

#[test]
fn select_and_ignore_apply_to_the_map() {
    let out = run(&[
        "map",
        "--format",
        "json",
        "--ignore",
        "MS001",
        "fixtures/rules/MS001/fires",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("\"MS001\""));
    let bad = run(&["map", "--select", "NOPE", "fixtures/demo"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown rule selector"),
        "{}",
        bad.stderr
    );
}

#[test]
fn output_file_and_html_are_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("map.html");
    let out = run(&[
        "map",
        "--format",
        "html",
        "--output-file",
        path.to_str().expect("utf-8 path"),
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(&path).expect("the page");
    // Self-contained: nothing is loaded from anywhere.
    for remote in ["http://", "https://", "src=", "href="] {
        let outside_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_svg_namespace.contains(remote), "{remote}");
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("class=\"edge environment flagged\""));
}

#[test]
fn check_appends_the_ci_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
        .args(["check", "--format", "concise", "fixtures/demo"])
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert!(text.starts_with("earlier step\n## magelint"), "{text}");
    assert!(
        text.contains("| MS001 | production-data-space-on-non-production | 1 |"),
        "{text}"
    );
    assert!(text.contains("```mermaid\nflowchart LR"), "{text}");
    assert!(text.contains("-->|\"MS001\"|"), "{text}");
    // The report itself is unchanged by the summary.
    let plain = run(&["check", "--format", "concise", "fixtures/demo"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), plain.stdout);
}
