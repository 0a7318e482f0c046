//! The bundled schemas against the real corpus, and against a peer validator
//! (`check-jsonschema`, Python `jsonschema`) on the YAML fixtures and corpus files.

use magelint::discover::{classify, Format};
use magelint::schema;
use magelint::syntax::Limits;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");

/// Corpus files with the path they stand for (`owner__repo__app__etc__env.php` → app/etc/env.php).
fn corpus_files() -> Vec<(PathBuf, PathBuf)> {
    let mut files: Vec<_> = std::fs::read_dir(CORPUS)
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".oracle.json") && name.contains("__")
        })
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let rest: Vec<&str> = name.split("__").skip(2).collect();
            (p, PathBuf::from(rest.join("/")))
        })
        .collect();
    files.sort();
    files
}

/// `name: pointer code message` for every SCH finding of a file (None when it has no schema or
/// does not parse).
fn findings(path: &Path, logical: &Path) -> Option<Vec<schema::Finding>> {
    let (kind, format) = classify(logical)?;
    let name = schema::for_kind(&kind)?;
    let text = std::fs::read_to_string(path).ok()?;
    let source = magelint::discover::SourcePath {
        path: logical.to_path_buf(),
        kind,
        format,
        explicit: true,
        git: Default::default(),
    };
    let document = magelint::lint::parse(&source, &text, &Limits::default()).ok()?;
    Some(schema::validate(name, &document))
}

#[test]
fn every_schema_compiles() {
    schema::all_compile().expect("bundled schemas compile");
}

#[test]
fn corpus_findings_are_the_reviewed_ones() {
    let mut seen = Vec::new();
    let mut checked = 0;
    for (path, logical) in corpus_files() {
        let Some(found) = findings(&path, &logical) else {
            continue;
        };
        checked += 1;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for f in found {
            seen.push(format!("{name}: {} {} {}", f.code, f.pointer, f.message));
        }
    }
    assert!(checked >= 30, "only {checked} corpus files checked");
    let expected = [
        // `integration:` is not an ece-tools section (only stage, log, system are).
        "mahesharige253__BAT_Magento_Rubik__.magento.env.yaml: SCH001 /integration unknown key `integration`",
    ];
    assert_eq!(seen, expected);
}

/// `$.a.b`, `$['x.y'].z`, `$.list[0]` → JSON Pointer.
fn to_pointer(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    while !rest.is_empty() {
        let token: String;
        if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']").unwrap_or(r.len());
            token = r[..end].to_string();
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            token = r[..end].to_string();
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            token = r[..end].to_string();
            rest = &r[end..];
        } else {
            break;
        }
        out.push('/');
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    out
}

fn peer_available() -> bool {
    Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn yaml_fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn failing_pointers_match_check_jsonschema() {
    if !peer_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "check-jsonschema is required in CI: pip install check-jsonschema==0.39.0"
        );
        eprintln!("skipped: check-jsonschema not installed (pip install check-jsonschema)");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut fixtures = Vec::new();
    yaml_fixtures(&root.join("fixtures/rules"), &mut fixtures);
    for path in fixtures {
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
        // The YM rules fire where YAML readers disagree (a byte order mark, `010`, `on`,
        // `!php/object`): check-jsonschema's reader reads those files differently by design.
        let ym_fires = rel.starts_with("fixtures/rules")
            && rel.to_string_lossy().contains("/YM")
            && rel.components().any(|c| c.as_os_str() == "fires");
        if ym_fires {
            continue;
        }
        cases.push((path, rel));
    }
    cases.extend(corpus_files());
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (path, logical) in cases {
        let Some((kind, Format::Yaml)) = classify(&logical) else {
            continue;
        };
        let Some(name) = schema::for_kind(&kind) else {
            continue;
        };
        let ours: BTreeSet<String> = findings(&path, &logical)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.instance_path)
            .collect();
        let schema_file = root.join(format!("schemas/{name}.schema.json"));
        let output = Command::new("check-jsonschema")
            .args(["--output-format", "json", "--schemafile"])
            .arg(&schema_file)
            .arg(&path)
            .output()
            .expect("check-jsonschema runs");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("check-jsonschema prints JSON");
        let theirs: BTreeSet<String> = report["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["path"].as_str().map(to_pointer))
            .collect();
        compared += 1;
        if ours != theirs {
            mismatches.push(format!(
                "{}: ours {ours:?}, check-jsonschema {theirs:?}",
                path.display()
            ));
        }
    }
    assert!(compared >= 15, "only {compared} files compared");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn pointer_mapping() {
    assert_eq!(to_pointer("$"), "");
    assert_eq!(to_pointer("$.stage.build"), "/stage/build");
    assert_eq!(
        to_pointer("$['http://{default}/'].upstream"),
        "/http:~1~1{default}~1/upstream"
    );
    assert_eq!(to_pointer("$.a[0].b"), "/a/0/b");
}

/// data/ece-tools/schema/2002.2.json and schemas/magento-env-yaml.schema.json are derived by
/// `scripts/ece-tools-schema.py derive` from 2002.1.json and the documented delta: never edited
/// by hand.
#[test]
fn ece_tools_schema_files_are_what_the_script_derives() {
    let python = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with PyYAML is required in CI"
        );
        eprintln!("skipped: python3 with PyYAML not installed");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("scripts/ece-tools-schema.py"))
        .args(["derive", "--check"])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The JSON Schema `magelint schema magento-env-yaml` prints holds every variable of the newest
/// generation, in the stages it may be written in, with its type and allowed values.
#[test]
fn printed_env_yaml_schema_is_the_newest_generation() {
    let text = schema::text("magento-env-yaml").expect("bundled");
    let printed: serde_json::Value = serde_json::from_str(text).expect("json");
    let newest = magelint::ece_schema::newest();
    let mut checked = 0;
    for variable in &newest.variables {
        for stage in magelint::ece_schema::STAGES {
            let pointer = format!(
                "/properties/stage/properties/{stage}/properties/{}",
                variable.name
            );
            let entry = printed.pointer(&pointer);
            let expected = variable.stages.iter().any(|s| s == stage) && variable.removed.is_none();
            assert_eq!(entry.is_some(), expected, "{pointer}");
            let Some(entry) = entry else { continue };
            checked += 1;
            let json_type = match variable.php_type.as_deref() {
                Some("array") => Some(serde_json::json!(["object", "array"])),
                Some(other) => Some(serde_json::json!(other)),
                None => None,
            };
            assert_eq!(entry.get("type").cloned(), json_type, "{pointer}");
            if let magelint::ece_schema::Allowed::Values(values) = &variable.allowed {
                let listed = entry["enum"].as_array().map_or(0, Vec::len);
                assert_eq!(listed, values.len(), "{pointer}");
            }
        }
    }
    assert!(checked >= 78, "{checked}");
}
