//! `magelint server` driven over JSON-RPC on stdin/stdout, as an editor does.

mod common;

use lsp_types::Url;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// Longest wait for any one answer: a hung server fails the test instead of hanging CI.
const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts the server and initializes it with `root` as the workspace folder.
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_magelint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the magelint binary starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let folder = uri(root);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "capabilities": {},
                "workspaceFolders": [{ "uri": folder, "name": "fixture" }],
            }),
        );
        assert_eq!(result["serverInfo"]["name"], "magelint", "{result}");
        assert_eq!(result["capabilities"]["hoverProvider"], true, "{result}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .expect("the server reads its input");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message that satisfies `wanted`, skipping others; panics after the timeout.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(error) => panic!("no {what} from the server: {error}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self.wait_for(method, |m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri` that satisfy `wanted`.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let message = self.wait_for("matching diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| wanted(d))
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn open(&mut self, path: &Path, language: &str) -> (String, String) {
        let text = std::fs::read_to_string(path).expect("fixture file");
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": language, "version": 1, "text": text
            }}),
        );
        (uri, text)
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// shutdown + exit, and the process ends with status 0.
    fn stop(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait().expect("wait for the server") {
                Some(status) => {
                    assert!(status.success(), "server exit status {status}");
                    return;
                }
                None if Instant::now() > deadline => panic!("the server did not exit"),
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

fn uri(path: &Path) -> String {
    Url::from_file_path(path)
        .expect("absolute path")
        .to_string()
}

/// A temporary copy of a fixture directory (canonical, so URIs match the server's paths).
fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical temp dir");
    common::copy_dir(&common::root().join("fixtures").join(name), &root);
    (dir, root)
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

/// (line, UTF-16 character) of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u64, before[start..].encode_utf16().count() as u64)
}

fn start_of(diagnostic: &Value) -> (u64, u64) {
    let start = &diagnostic["range"]["start"];
    (
        start["line"].as_u64().unwrap_or(u64::MAX),
        start["character"].as_u64().unwrap_or(u64::MAX),
    )
}

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
