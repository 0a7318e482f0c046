//! `magelint server` driven over JSON-RPC on stdin/stdout, as an editor does.

mod common;

use common::lsp::*;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DATA_SPACE: &str = "'8eb8e3be-728d-4dea-8875-000000000001'";

#[test]
fn publishes_ms001_at_its_range_and_clears_it_from_the_unsaved_buffer() {
    let (_dir, root) = fixture("rules/MS001/fires");
    let mut client = Client::start(&root);
    let staging = root.join("app/etc/env.staging.php");
    let (uri, text) = client.open(&staging, "php");
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(codes(&found), ["MS001"], "{found:?}");
    let ms001 = &found[0];
    assert_eq!(start_of(ms001), position_of(&text, DATA_SPACE));
    assert_eq!(start_of(ms001), (34, 40));
    let end = &ms001["range"]["end"];
    assert_eq!(
        (end["line"].as_u64(), end["character"].as_u64()),
        (Some(34), Some(78))
    );
    assert_eq!(ms001["source"], "magelint");
    assert_eq!(ms001["severity"], 1);
    assert_eq!(
        ms001["codeDescription"]["href"],
        "https://github.com/magelint/magelint/blob/main/docs/rules/MS001.md"
    );
    let related = ms001["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!related.is_empty(), "{ms001}");
    assert!(related.iter().all(|r| r["location"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file://"))));

    // Hover on the finding shows the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 34, "character": 50 } }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        shown.contains("MS001") && shown.contains("What it does"),
        "{hover}"
    );

    // Columns count UTF-16 code units: an emoji before the value counts 2.
    let wide = text.replace("'environment_id' =>", "/* 😀é */ 'environment_id' =>");
    client.change(&uri, 2, &wide);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(start_of(&found[0]), position_of(&wide, DATA_SPACE));
    assert_eq!(start_of(&found[0]), (34, 50));

    // Pointing the unsaved buffer at the Testing data space clears the finding.
    let testing = text.replace("000000000001'", "000000000002'");
    client.change(&uri, 3, &testing);
    let found = client.diagnostics(&uri, |_| true);
    assert!(found.is_empty(), "{found:?}");
    client.stop();
}

#[test]
fn a_buffer_in_one_installation_clears_ms002_in_another() {
    let (_dir, root) = fixture("rules/MS002/fires");
    let mut client = Client::start(&root);
    let (eu, _) = client.open(&root.join("eu/app/etc/config.php"), "php");
    let (us, us_text) = client.open(&root.join("us/app/etc/config.php"), "php");
    let found = client.diagnostics(&eu, |d| codes(d).contains(&"MS002"));
    assert_eq!(codes(&found), ["MS002"]);
    let renamed = us_text.replace("'base'", "'us_main'");
    assert_ne!(renamed, us_text);
    client.change(&us, 2, &renamed);
    let found = client.diagnostics(&eu, |d| !codes(d).contains(&"MS002"));
    assert!(found.is_empty(), "{found:?}");
    // And back: the collision returns.
    client.change(&us, 3, &us_text);
    client.diagnostics(&eu, |d| codes(d).contains(&"MS002"));
    client.stop();
}

#[test]
fn a_half_typed_file_gives_e001_where_the_cli_does_and_the_server_survives() {
    let (_dir, root) = fixture("rules/MS001/fires");
    let mut client = Client::start(&root);
    let staging = root.join("app/etc/env.staging.php");
    let (uri, text) = client.open(&staging, "php");
    client.diagnostics(&uri, |d| codes(d) == ["MS001"]);
    let cut = text.find("'MAGE_MODE'").expect("fixture text");
    let half = format!("{}'MAGE_MODE' => 'produ", &text[..cut]);
    client.change(&uri, 2, &half);
    let found = client.diagnostics(&uri, |d| codes(d).contains(&"E001"));
    // The CLI on the same text says where the error is (1-based line:column, ASCII text).
    let cli = Command::new(env!("CARGO_BIN_EXE_magelint"))
        .args(["check", "--format", "concise", "--stdin-filename"])
        .arg(&staging)
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(half.as_bytes())?;
            child.wait_with_output()
        })
        .expect("magelint check runs");
    let line = String::from_utf8_lossy(&cli.stdout)
        .lines()
        .find(|l| l.contains(" E001 "))
        .map(str::to_string)
        .expect("the CLI reports E001");
    let e001 = found.iter().find(|d| d["code"] == "E001").expect("E001");
    let (l, c) = start_of(e001);
    assert!(
        line.contains(&format!(":{}:{}: E001", l + 1, c + 1)),
        "{line} vs {e001}"
    );
    // Bad and unknown messages are answered or ignored, never fatal.
    client.notify("textDocument/didChange", json!({ "nonsense": true }));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "untitled:1" } }),
    );
    let id = 999;
    client.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction", "params": { "x": 1 } }));
    let answer = client.wait_for("an error answer", |m| m["id"] == id);
    assert!(answer.get("error").is_some(), "{answer}");
    // Saves and file events re-index the workspace; the server keeps answering.
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri, "type": 2 }] }),
    );
    client.change(&uri, 3, "");
    client.diagnostics(&uri, |d| !codes(d).contains(&"MS001"));
    client.change(&uri, 4, &text);
    client.diagnostics(&uri, |d| codes(d) == ["MS001"]);
    client.stop();
}

#[test]
fn code_action_inserts_a_suppression_comment() {
    let (_dir, root) = fixture("rules/MS001/fires");
    let mut client = Client::start(&root);
    let (uri, _) = client.open(&root.join("app/etc/env.staging.php"), "php");
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    let range = found[0]["range"].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range,
            "context": { "diagnostics": found },
        }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix", "{actions}");
    assert!(action["title"]
        .as_str()
        .is_some_and(|t| t.contains("MS001")));
    let edits = &action["edit"]["changes"][uri.as_str()];
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 34, "character": 0 })
    );
    assert_eq!(
        edits[0]["newText"],
        "                    // magelint-ignore MS001: <reason>\n"
    );

    // YAML files get `#` comments.
    let yaml = root.join(".magento.env.yaml");
    std::fs::write(
        &yaml,
        "stage:\n  deploy:\n    MYSQL_USE_SLAVE_CONNECTION: true\n",
    )
    .expect("write yaml");
    let (yaml_uri, _) = client.open(&yaml, "yaml");
    let diagnostic = json!({
        "range": { "start": { "line": 2, "character": 4 }, "end": { "line": 2, "character": 8 } },
        "code": "SCH001", "source": "magelint", "message": "x",
    });
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": yaml_uri },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] },
        }),
    );
    assert_eq!(
        actions[0]["edit"]["changes"][yaml_uri.as_str()][0]["newText"],
        "    # magelint-ignore SCH001: <reason>\n",
        "{actions}"
    );
    client.stop();
}

/// A real editor: headless Neovim starts `magelint server` for a PHP file of the demo fleet and
/// reports the diagnostics it received.
#[test]
fn neovim_shows_ms001_in_the_demo_staging_env_file() {
    let found = Command::new("nvim").arg("--version").output();
    let Ok(version) = found else {
        assert!(
            std::env::var_os("CI").is_none(),
            "nvim is required under CI (apt-get install neovim)"
        );
        println!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    };
    println!(
        "{}",
        String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("")
    );
    let (_dir, root) = fixture("demo");
    let file = root.join("sites/eu/app/etc/env.staging.php");
    let out = root.join("nvim-diagnostics.json");
    let script = common::root().join("tests/data/nvim/diagnostics.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("MAGELINT_BIN", env!("CARGO_BIN_EXE_magelint"))
        .env("MAGELINT_ROOT", &root)
        .env("MAGELINT_FILE", &file)
        .env("MAGELINT_OUT", &out)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        match child.try_wait().expect("wait for nvim") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                panic!("nvim did not finish");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    println!("nvim wrote: {written}");
    assert!(status.success(), "nvim exit status {status}: {written}");
    let value: Value = serde_json::from_str(&written).expect("JSON from nvim");
    let diagnostics = value["diagnostics"].as_array().cloned().unwrap_or_default();
    let text = std::fs::read_to_string(&file).expect("demo file");
    let (line, character) = position_of(&text, DATA_SPACE);
    let ms001 = diagnostics
        .iter()
        .find(|d| d["code"] == "MS001")
        .unwrap_or_else(|| panic!("no MS001 in {written}"));
    assert_eq!(ms001["lnum"].as_u64(), Some(line), "{ms001}");
    assert_eq!(ms001["col"].as_u64(), Some(character), "{ms001}");
    assert_eq!(ms001["source"], "magelint");
}
