//! Adoption features: configuration, inline suppressions, baselines, stdin.

mod common;
use common::{root, run_in};
use std::path::Path;

/// A temporary copy of a fixture tree.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&root().join(name), dir.path());
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn inline_suppressions_with_and_without_reason() {
    let dir = copy_fixture("fixtures/demo");
    let env = dir.path().join("sites/us/app/etc/env.php");
    edit(&env, "                    'sandbox_api_key'", "                    // magelint-ignore MS008: throwaway demo key, revoked\n                    'sandbox_api_key'");
    edit(&env, "    'MAGE_MODE' => 'production',", "    'MAGE_MODE' => 'production', // magelint-ignore MG003\n    // magelint-ignore MS017: nothing pinned on this line\n");
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let codes: Vec<(&str, u64)> = value["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["location"]["path"] == "sites/us/app/etc/env.php")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["location"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        !codes.iter().any(|(c, _)| *c == "MS008" || *c == "MG003"),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("ML002", 18)),
        "the reasonless suppression is reported: {codes:?}"
    );
    assert!(
        codes.contains(&("ML001", 19)),
        "the suppression covering nothing is reported: {codes:?}"
    );
    assert_eq!(
        value["summary"]["suppressed"], 2,
        "MS008 on the key line (a sandbox key entered on Open Source is no MS004), MG003"
    );
}

#[test]
fn baseline_round_trip_survives_moving_lines_and_catches_edits() {
    let dir = copy_fixture("fixtures/demo");
    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "baseline.json", "."],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline");
    assert!(
        !baseline.contains("c2FuZGJveC1hcGkta2V5LWRlbW8tMDAwMDAwMDAwMDAw"),
        "baseline holds no secret"
    );
    let out = run_in(dir.path(), &["check", "--baseline", "baseline.json", "."]);
    assert_eq!(
        out.code, 0,
        "everything is in the baseline:\n{}",
        out.stdout
    );
    // Moving lines keeps every fingerprint.
    let staging = dir.path().join("sites/eu/app/etc/env.staging.php");
    edit(
        &staging,
        "<?php\n",
        "<?php\n\n\n// moved down by three lines\n",
    );
    let out = run_in(dir.path(), &["check", "--baseline", "baseline.json", "."]);
    assert_eq!(out.code, 0, "moving lines breaks nothing:\n{}", out.stdout);
    // Editing the value brings the finding back and leaves the old entry stale.
    edit(
        &staging,
        "8eb8e3be-728d-4dea-8875-000000000001'",
        "8eb8e3be-728d-4dea-8875-000000000001 '",
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("env.staging.php:38:41: MS001"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("baseline.json") && out.stdout.contains("ML004"),
        "{}",
        out.stdout
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--baseline",
            "baseline.json",
            "--prune-baseline",
            ".",
        ],
    );
    assert!(!out.stdout.contains("ML004"), "{}", out.stdout);
    let pruned = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline");
    assert!(pruned.len() < baseline.len());
}

#[test]
fn configuration_selects_ignores_and_excludes() {
    let dir = copy_fixture("fixtures/demo");
    let config = dir.path().join(".magelint.yaml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("ignore: [MS002]\nseverity: { MG003: warning }\nexclude: ['sites/eu/.magento.app.yaml']\nper-file-ignores:\n  'sites/us/**#/system/websites': [MS003]\n  'sites/us/app/etc/env.php': [MS016]\n");
    std::fs::write(&config, text).expect("write");
    let out = run_in(dir.path(), &["check", "--format", "concise", "."]);
    assert!(!out.stdout.contains("MS002"), "{}", out.stdout);
    assert!(
        !out.stdout.contains(".magento.app.yaml"),
        "excluded: {}",
        out.stdout
    );
    assert!(!out.stdout.contains("MS016"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("sites/us/app/etc/env.php:42:17: MS003"),
        "{}",
        out.stdout
    );
    let json = run_in(dir.path(), &["check", "--format", "json", "."]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let mg003 = value["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "MG003")
        .expect("MG003");
    assert_eq!(mg003["severity"], "warning");
    let out = run_in(dir.path(), &["check", "--select", "MG003", "."]);
    assert_eq!(
        out.code, 0,
        "a warning does not fail by default:\n{}",
        out.stdout
    );
    let out = run_in(
        dir.path(),
        &["check", "--select", "MG003", "--fail-on", "warning", "."],
    );
    assert_eq!(out.code, 1);
}

#[test]
fn an_invalid_configuration_is_reported_with_its_position_and_exit_2() {
    let dir = copy_fixture("fixtures/demo");
    std::fs::write(
        dir.path().join(".magelint.yaml"),
        "select: [MS]\nfail-on: sometimes\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains(".magelint.yaml:2:10: fail-on must be error, warning or info"),
        "{}",
        out.stderr
    );
    let out = run_in(dir.path(), &["check", "--config", "missing.yaml", "."]);
    assert_eq!(out.code, 2);
}

/// The site rules run for the sites that read the buffer, also without a `.magelint.yaml`
/// (which puts every site in focus): a site's env file, a `.env` file setting its process
/// environment, and config.php, which every site of its installation reads.
#[test]
fn stdin_runs_the_site_rules_of_the_sites_reading_the_buffer() {
    use std::io::Write;
    for (path, select, expected) in [
        (
            "fixtures/rules/MS001/fires/app/etc/env.staging.php",
            "MS001",
            ":35:41: MS001",
        ),
        (
            "fixtures/rules/MS001/fires-dotenv/.env.staging",
            "MS001",
            ":4:73: MS001",
        ),
        (
            "fixtures/rules/MS011/fires-shared-overridden/app/etc/config.php",
            "MS011",
            ":28:42: MS011",
        ),
    ] {
        let text = std::fs::read_to_string(root().join(path)).expect("fixture");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
            .args(["check", "--format", "concise", "--select", select])
            .args(["--stdin-filename", path])
            .current_dir(root())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write");
        let output = child.wait_with_output().expect("wait");
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(out.contains(&format!("{path}{expected}")), "{path}:\n{out}");
    }
}

/// `--stdin-filename` sees the buffer with its installation: the staging env text alone says
/// nothing of the data space's type, the fleet (.magelint.yaml, env.php) does.
#[test]
fn stdin_is_linted_with_the_rest_of_its_installation() {
    use std::io::Write;
    let staging = "fixtures/demo/sites/eu/app/etc/env.staging.php";
    let text = std::fs::read_to_string(root().join(staging)).expect("fixture");
    let lint = |buffer: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
            .args(["check", "--format", "concise", "--stdin-filename", staging])
            .current_dir(root())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(buffer.as_bytes())
            .expect("write");
        let output = child.wait_with_output().expect("wait");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, out) = lint(&text);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("{staging}:35:41: MS001")), "{out}");
    assert!(
        out.lines()
            .filter(|l| l.contains(": "))
            .all(|l| l.starts_with(staging)),
        "only the buffer is reported:\n{out}"
    );
    let (code, out) = lint(&text.replace("000000000001',", "000000000002',").replace(
        "'environment' => 'Production'",
        "'environment' => 'Testing'",
    ));
    assert_eq!(
        code,
        Some(0),
        "the buffer on the Testing data space is clean:\n{out}"
    );
}

#[test]
fn stdin_is_linted_as_the_named_file_with_the_fleet_config() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
        .args([
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "fixtures/demo/sites/us/app/etc/env.php",
        ])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"<?php\nreturn ['MAGE_MODE' => 'developer', 'MAGE_MODE' => 'production'];\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("fixtures/demo/sites/us/app/etc/env.php:2:37: MG003"),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn footprints_carry_fleets_across_repositories_without_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let footprint = dir.path().join("us.json");
    let footprint = footprint.to_str().expect("utf-8 path");
    let out = common::run(&[
        "footprint",
        "--name",
        "acme-us",
        "--output-file",
        footprint,
        "fixtures/demo/sites/us",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(footprint).expect("footprint");
    assert!(
        !text.contains("c2FuZGJveC1hcGkta2V5"),
        "no secret in a footprint:\n{text}"
    );
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(value["sites"][0]["website_codes"][0]["code"], "base");
    // Alone, the EU installation has no collision; with the US footprint it has one.
    let alone = common::run(&[
        "check",
        "--format",
        "concise",
        "--select",
        "MS002",
        "fixtures/demo/sites/eu",
    ]);
    assert!(!alone.stdout.contains("MS002"), "{}", alone.stdout);
    let together = common::run(&[
        "check",
        "--format",
        "concise",
        "--select",
        "MS002",
        "--footprint",
        footprint,
        "fixtures/demo/sites/eu",
    ]);
    assert_eq!(together.code, 1, "{}", together.stdout);
    assert!(
        together.stdout.contains("fixtures/demo/sites/eu/app/etc/config.php:28:13: MS002 website code `base` of fixtures/demo/sites/eu/app/etc/env.php is also used by fixtures/demo/sites/us/app/etc/env.php (repository acme-us)"),
        "{}",
        together.stdout
    );
    // The map draws the other repository's site under its own installation, with its edition.
    let map = common::run(&["map", "--footprint", footprint, "fixtures/demo/sites/eu"]);
    assert_eq!(map.code, 0, "{}", map.stderr);
    assert!(
        map.stdout.contains(
            "acme-us:fixtures/demo/sites/us (repository acme-us): Magento Open Source (footprint of acme-us)\n└─ fixtures/demo/sites/us/app/etc/env.php (repository acme-us): production, websites base"
        ),
        "{}",
        map.stdout
    );
}

/// A data space another repository's production site uses is a production data space here
/// too; one its staging site uses is not.
#[test]
fn a_foreign_production_site_makes_its_data_space_production() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::write(
        etc.join("env.php"),
        "<?php\nreturn [\n    'MAGE_MODE' => 'developer',\n    'system' => ['default' => ['services_connector' => ['services_id' => [\n        'environment_id' => '8eb8e3be-728d-4dea-8875-00000000f00d',\n    ]]]],\n];\n",
    )
    .expect("env.php");
    let check = |tier: &str| {
        let footprint = dir.path().join(format!("other-{tier}.json"));
        let site = serde_json::json!({
            "version": 1,
            "repository": "acme-other",
            "sites": [{
                "name": "app/etc/env.php",
                "installation": ".",
                "tier": tier,
                "edition": "commerce",
                "data_space": {"id": "8eb8e3be-728d-4dea-8875-00000000f00d", "projects": []},
                "website_codes": [{"code": "other"}],
            }],
        });
        std::fs::write(&footprint, site.to_string()).expect("footprint");
        common::run(&[
            "check",
            "--format",
            "concise",
            "--select",
            "MS001",
            "--footprint",
            footprint.to_str().expect("utf-8 path"),
            dir.path().to_str().expect("utf-8 path"),
        ])
    };
    let production = check("production");
    assert!(production.stdout.contains("MS001"), "{}", production.stdout);
    let staging = check("non-production");
    assert!(!staging.stdout.contains("MS001"), "{}", staging.stdout);
}
