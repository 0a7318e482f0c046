//! The editor's workspace engine: files changed outside the editor update the fleet, the
//! configured baseline applies as in `check`, and bad input never stops the server.

mod common;

use common::lsp::*;
use serde_json::json;
use std::path::Path;

fn watched(client: &mut Client, path: &Path, typ: u8) {
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(path), "type": typ }] }),
    );
}

const CHANGED: u8 = 2;
const DELETED: u8 = 3;
const CREATED: u8 = 1;

#[test]
fn a_file_changed_on_disk_updates_an_open_document_of_another_installation() {
    let (_dir, root) = fixture("rules/MS002/fires");
    let mut client = Client::start(&root);
    let (eu, _) = client.open(&root.join("eu/app/etc/config.php"), "php");
    client.diagnostics(&eu, |d| codes(d).contains(&"MS002"));
    // us/ is not open: a generator (or a branch switch) renames its website on disk.
    let us = root.join("us/app/etc/config.php");
    let original = std::fs::read_to_string(&us).expect("fixture");
    let renamed = original.replace("'base'", "'us_main'");
    assert_ne!(renamed, original);
    std::fs::write(&us, &renamed).expect("write");
    watched(&mut client, &us, CHANGED);
    let found = client.diagnostics(&eu, |d| !codes(d).contains(&"MS002"));
    assert!(found.is_empty(), "{found:?}");
    // Deleted: the other installation has no website codes any more; created again: the
    // collision is back.
    std::fs::remove_file(&us).expect("delete");
    watched(&mut client, &us, DELETED);
    std::fs::write(&us, &original).expect("write");
    watched(&mut client, &us, CREATED);
    client.diagnostics(&eu, |d| codes(d).contains(&"MS002"));
    client.stop();
}

#[test]
fn a_save_rescans_the_workspace_for_files_changed_without_events() {
    let (_dir, root) = fixture("rules/MS002/fires");
    let mut client = Client::start(&root);
    let eu_path = root.join("eu/app/etc/config.php");
    let (eu, eu_text) = client.open(&eu_path, "php");
    client.diagnostics(&eu, |d| codes(d).contains(&"MS002"));
    // No watcher event (a client without file watching): the save of another file rescans.
    let us = root.join("us/app/etc/config.php");
    let original = std::fs::read_to_string(&us).expect("fixture");
    // A different length, so the change shows even within the file system's time resolution.
    std::fs::write(&us, original.replace("'base'", "'us_main_website'")).expect("write");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": eu }, "text": eu_text }),
    );
    let found = client.diagnostics(&eu, |d| !codes(d).contains(&"MS002"));
    assert!(found.is_empty(), "{found:?}");
    client.stop();
}

#[test]
fn the_configured_baseline_hides_a_finding_in_the_server_and_the_cli() {
    let (_dir, root) = fixture("rules/MS001/fires");
    // The CLI finds MS001, records it, and with `baseline:` in .magelint.yaml hides it.
    let before = common::run_in(&root, &["check", "--format", "concise", "."]);
    assert_eq!(before.code, 1, "{}", before.stdout);
    assert!(before.stdout.contains("MS001"), "{}", before.stdout);
    std::fs::create_dir_all(root.join("ci")).expect("mkdir");
    let written = common::run_in(
        &root,
        &["check", "--write-baseline", "ci/baseline.json", "."],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    std::fs::write(root.join(".magelint.yaml"), "baseline: ci/baseline.json\n").expect("write");
    let after = common::run_in(&root, &["check", "--format", "concise", "."]);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);
    assert!(!after.stdout.contains("MS001"), "{}", after.stdout);
    // A baseline named on the command line overrides the configured one (here: an empty
    // one, so the finding shows again).
    std::fs::write(
        root.join("empty.json"),
        "{\"version\": 1, \"entries\": []}\n",
    )
    .expect("write");
    let overridden = common::run_in(
        &root,
        &[
            "check",
            "--format",
            "concise",
            "--baseline",
            "empty.json",
            ".",
        ],
    );
    assert!(overridden.stdout.contains("MS001"), "{}", overridden.stdout);

    // The server reads the same configuration: the staging env file is clean there too.
    let mut client = Client::start(&root);
    let (staging, text) = client.open(&root.join("app/etc/env.staging.php"), "php");
    let found = client.diagnostics(&staging, |_| true);
    assert!(found.is_empty(), "{found:?}");
    // A new finding in the buffer is not in the baseline: it shows.
    let developer = text.replacen("<?php", "<?php\n// magelint-ignore MS999: nothing here", 1);
    client.change(&staging, 2, &developer);
    let found = client.diagnostics(&staging, |d| !d.is_empty());
    assert!(codes(&found).contains(&"ML001"), "{found:?}");
    client.stop();
}

#[test]
fn a_deleted_open_file_and_a_50_mb_buffer_keep_the_server_and_the_other_files() {
    let (_dir, root) = fixture("rules/MS001/fires");
    let mut client = Client::start(&root);
    let staging_path = root.join("app/etc/env.staging.php");
    let (staging, text) = client.open(&staging_path, "php");
    let found = client.diagnostics(&staging, |d| !d.is_empty());
    assert_eq!(codes(&found), ["MS001"]);
    assert_eq!(start_of(&found[0]).0, 34, "{found:?}");
    // The open file is deleted on disk: its buffer still stands for it.
    std::fs::remove_file(&staging_path).expect("delete");
    watched(&mut client, &staging_path, DELETED);
    // A 50 MB buffer in a new, unsaved env file: E001 there (an unclosed array), nothing lost
    // elsewhere.
    let big = uri(&root.join("app/etc/env.uat.php"));
    let huge = format!("<?php return [\n{}", "    'k' => 'v',\n".repeat(3_200_000));
    assert!(huge.len() > 50_000_000);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": big, "languageId": "php", "version": 1, "text": huge
        }}),
    );
    let found = client.diagnostics(&big, |d| codes(d).contains(&"E001"));
    assert!(!found.is_empty());
    // The server still answers, and the deleted file's buffer is linted as before: an edit
    // that moves the finding down a line republishes it there.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": staging }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(hover.is_null() || hover.is_object(), "{hover}");
    let shifted = text.replacen("<?php", "<?php\n", 1);
    client.change(&staging, 2, &shifted);
    let found = client.diagnostics(&staging, |d| !d.is_empty());
    assert_eq!(codes(&found), ["MS001"]);
    assert_eq!(start_of(&found[0]).0, 35, "{found:?}");
    client.stop();
}

#[test]
fn show_map_writes_the_workspace_map_and_returns_its_path() {
    let (_dir, root) = fixture("rules/MS001/fires");
    let mut client = Client::start(&root);
    let staging = root.join("app/etc/env.staging.php");
    let (uri, _) = client.open(&staging, "php");
    client.diagnostics(&uri, |d| !d.is_empty());
    let result = client.request(
        "workspace/executeCommand",
        json!({ "command": "magelint.showMap", "arguments": [uri] }),
    );
    let path = result.as_str().expect("a path");
    let page = std::fs::read_to_string(path).expect("the page is written");
    assert!(
        page.contains("<svg") && page.contains("env.staging.php"),
        "{path}"
    );
    assert!(page.contains("MS001"), "the finding is on the picture");
    let _ = std::fs::remove_file(path);
    client.stop();
}
