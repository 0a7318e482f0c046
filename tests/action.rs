//! The GitHub Action (action.yml) outside GitHub: its `run:` steps, read from action.yml and run
//! by bash as the runner runs them (`bash --noprofile --norc -eo pipefail`), with the runner's
//! files (GITHUB_PATH, GITHUB_OUTPUT) and the `${{ inputs.* }}` expressions the action uses.
//! pip may take magelint only from the built wheel (PIP_NO_INDEX, PIP_FIND_LINKS), and no Rust
//! toolchain is on PATH. The SARIF upload step (a JavaScript action of GitHub's) is not run: the
//! test checks the file it would upload.

mod common;
mod wheel_support;

use magelint::syntax::{dump::to_json, yaml, Limits};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;
use wheel_support::{path_without_rust, text, wheel, wheel_dir, VERSION};

fn action() -> Json {
    let source = std::fs::read_to_string(common::root().join("action.yml")).expect("action.yml");
    let doc = yaml::parse(&source, &Limits::default()).expect("action.yml is YAML");
    to_json(&doc.root)
}

fn as_str(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a run of the action did.
struct Run {
    /// The exit status of the first failing step, else 0.
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
    /// `with:` of the steps that `uses:` another action, with expressions evaluated.
    uses: Vec<(String, BTreeMap<String, String>)>,
}

/// Expands the `${{ … }}` expressions this action uses: `inputs.NAME` and
/// `steps.ID.outputs.NAME`. Anything else fails the test, so the action cannot grow an
/// expression this runner would get wrong.
fn expand(
    text: &str,
    inputs: &BTreeMap<String, String>,
    steps: &BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            panic!("unclosed expression in {text:?}");
        };
        let expression = rest[start + 3..start + len].trim();
        let value = if let Some(name) = expression.strip_prefix("inputs.") {
            inputs.get(name).cloned()
        } else {
            steps.get(expression).cloned()
        };
        match value {
            Some(value) => out.push_str(&value),
            None => panic!("expression `{expression}` is not known to this test's runner"),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// `if:` conditions of the form `inputs.NAME == 'VALUE'`.
fn condition(expression: &str, inputs: &BTreeMap<String, String>) -> bool {
    let parts: Vec<&str> = expression.split("==").map(str::trim).collect();
    let (Some(name), Some(value), 2) = (
        parts[0].strip_prefix("inputs."),
        parts
            .get(1)
            .and_then(|v| v.strip_prefix('\'')?.strip_suffix('\'')),
        parts.len(),
    ) else {
        panic!("condition `{expression}` is not known to this test's runner");
    };
    inputs.get(name).map(String::as_str) == Some(value)
}

/// Runs the action in `workspace` with `given` inputs (the rest take their defaults).
fn run_action(workspace: &Path, given: &[(&str, &str)]) -> Run {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let mut inputs = BTreeMap::new();
    for (name, spec) in action["inputs"].as_object().expect("inputs") {
        inputs.insert(name.clone(), as_str(&spec["default"]));
    }
    for (name, value) in given {
        assert!(
            inputs.contains_key(*name),
            "the action has no input `{name}`"
        );
        inputs.insert((*name).to_owned(), (*value).to_owned());
    }
    let runner = tempfile::tempdir().expect("tempdir");
    let mut path = path_without_rust();
    let mut step_outputs = BTreeMap::new();
    let mut run = Run {
        code: 0,
        log: String::new(),
        outputs: BTreeMap::new(),
        uses: Vec::new(),
    };
    for (index, step) in action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .enumerate()
    {
        if let Some(expression) = step["if"].as_str() {
            if !condition(expression, &inputs) {
                continue;
            }
        }
        if let Some(uses) = step["uses"].as_str() {
            let with = step["with"]
                .as_object()
                .map(|with| {
                    with.iter()
                        .map(|(k, v)| (k.clone(), expand(&as_str(v), &inputs, &step_outputs)))
                        .collect()
                })
                .unwrap_or_default();
            run.uses.push((uses.to_owned(), with));
            continue;
        }
        assert_eq!(step["shell"], "bash", "step {index}");
        let script = runner.path().join(format!("step-{index}.sh"));
        std::fs::write(&script, as_str(&step["run"])).expect("write script");
        assert!(
            !as_str(&step["run"]).contains("${{"),
            "step {index}: expressions belong in env"
        );
        let github_path = runner.path().join(format!("path-{index}"));
        let github_output = runner.path().join(format!("output-{index}"));
        for file in [&github_path, &github_output] {
            std::fs::write(file, "").expect("runner file");
        }
        let mut command = wheel_support::without_rust("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(workspace)
            .env("PATH", &path)
            .env("GITHUB_ACTION_PATH", common::root())
            .env("RUNNER_TEMP", runner.path())
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_OUTPUT", &github_output)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", wheel_dir());
        if let Some(env) = step["env"].as_object() {
            for (name, value) in env {
                command.env(name, expand(&as_str(value), &inputs, &step_outputs));
            }
        }
        let output = command.output().expect("bash runs");
        run.log.push_str(&text(&output));
        // What the step added to PATH comes first for the next steps, as on the runner.
        let added = std::fs::read_to_string(&github_path).unwrap_or_default();
        let mut dirs: Vec<std::path::PathBuf> = added.lines().rev().map(Into::into).collect();
        dirs.extend(std::env::split_paths(&path));
        path = std::env::join_paths(dirs).expect("PATH joins");
        if let Some(id) = step["id"].as_str() {
            let written = std::fs::read_to_string(&github_output).unwrap_or_default();
            for line in written.lines() {
                if let Some((key, value)) = line.split_once('=') {
                    step_outputs.insert(format!("steps.{id}.outputs.{key}"), value.to_owned());
                }
            }
        }
        if !output.status.success() {
            run.code = output.status.code().unwrap_or(-1);
            return run;
        }
    }
    for (name, spec) in action["outputs"].as_object().expect("outputs") {
        let value = expand(&as_str(&spec["value"]), &inputs, &step_outputs);
        run.outputs.insert(name.clone(), value);
    }
    run
}

fn workspace(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&common::root().join(fixture), dir.path());
    dir
}

#[test]
fn action_annotates_and_fails_on_the_demo() {
    let Some(_wheel) = wheel() else { return };
    let demo = workspace("fixtures/demo");
    let run = run_action(demo.path(), &[]);
    assert_eq!(run.code, 1, "the demo has errors:\n{}", run.log);
    assert!(
        run.log.contains(&format!("magelint {VERSION}")),
        "the version of the action's Cargo.toml is installed:\n{}",
        run.log
    );
    assert!(
        run.log
            .contains("::error file=sites/eu/app/etc/env.staging.php,line=35")
            && run.log.contains("MS001"),
        "GitHub annotations by default:\n{}",
        run.log
    );
    assert!(run.uses.is_empty(), "no SARIF upload unless asked");
    assert!(!demo.path().join("magelint.sarif").exists());
}

#[test]
fn action_writes_sarif_and_honours_args_and_fail_on() {
    let Some(_wheel) = wheel() else { return };
    let demo = workspace("fixtures/demo");
    // The demo's one warning (MS016) and no error.
    let warning_only = [
        ("paths", "sites/us sites/eu"),
        ("args", "--select MS016"),
        ("sarif", "true"),
        ("sarif-file", "reports.sarif"),
        ("version", VERSION),
    ];
    let run = run_action(demo.path(), &warning_only);
    assert_eq!(run.code, 0, "a warning passes by default:\n{}", run.log);
    assert_eq!(run.outputs["version"], VERSION);
    assert_eq!(run.uses.len(), 1, "{:?}", run.uses);
    let (uses, with) = &run.uses[0];
    assert!(
        uses.starts_with("github/codeql-action/upload-sarif@"),
        "{uses}"
    );
    assert_eq!(with["sarif_file"], "reports.sarif");
    let sarif: Json = serde_json::from_str(
        &std::fs::read_to_string(demo.path().join("reports.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let codes: Vec<&Json> = results.iter().map(|r| &r["ruleId"]).collect();
    assert_eq!(codes, ["MS016"], "args reach the SARIF run too");

    let mut failing = warning_only.to_vec();
    failing.push(("fail-on", "warning"));
    let run = run_action(demo.path(), &failing);
    assert_eq!(
        run.code, 1,
        "fail-on: warning fails on the warning:\n{}",
        run.log
    );
    assert!(
        run.log.contains("::warning file=sites/us/app/etc/env.php"),
        "{}",
        run.log
    );
}

#[test]
fn action_passes_a_clean_repository_with_the_latest_wheel() {
    let Some(_wheel) = wheel() else { return };
    let clean = workspace("fixtures/rules/MS001/quiet");
    let run = run_action(
        clean.path(),
        &[("version", "latest"), ("format", "concise")],
    );
    assert_eq!(run.code, 0, "{}", run.log);
    assert_eq!(run.outputs["version"], VERSION, "{}", run.log);
}
