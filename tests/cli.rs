//! The command line as a user sees it: formats, exit codes, selection, bad input.

mod common;
use common::{run, run_in};

#[test]
fn full_format_snapshot_on_parse_fixtures() {
    let out = run(&["check", "--format", "full", "fixtures/parse"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("parse_full", out.stdout);
}

#[test]
fn concise_format_snapshot_on_parse_fixtures() {
    let out = run(&["check", "--format", "concise", "fixtures/parse"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("parse_concise", out.stdout);
}

#[test]
fn json_format_snapshot_on_parse_fixtures() {
    let out = run(&["check", "--format", "json", "fixtures/parse"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["files"], 6);
    insta::assert_snapshot!("parse_json", out.stdout);
}

#[test]
fn concise_is_the_default_when_piped_and_secrets_stay_masked() {
    let out = run(&["check", "fixtures/parse/duplicate-keys"]);
    assert!(out.stdout.contains("MG003"), "{}", out.stdout);
    for format in ["full", "concise", "json"] {
        let out = run(&["check", "--format", format, "fixtures/parse/duplicate-keys"]);
        assert!(
            !out.stdout.contains("hunter2-very-secret"),
            "{format} leaks the password"
        );
    }
}

#[test]
fn exit_codes_follow_fail_on_exit_zero_and_selection() {
    assert_eq!(run(&["check", "fixtures/parse/duplicate-keys"]).code, 1);
    assert_eq!(
        run(&["check", "--exit-zero", "fixtures/parse/duplicate-keys"]).code,
        0
    );
    assert_eq!(
        run(&[
            "check",
            "--ignore",
            // The YAML file's duplicate is YM002 (Symfony YAML refuses it), the PHP ones MG003.
            "MG003,YM002",
            "fixtures/parse/duplicate-keys"
        ])
        .code,
        0
    );
    assert_eq!(
        run(&["check", "--select", "MG", "fixtures/parse/duplicate-keys"]).code,
        1
    );
    let unknown = run(&["check", "--select", "XX9", "fixtures/parse"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown rule selector `XX9`"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        run(&["check", "--format", "nope", "fixtures/parse"]).code,
        2
    );
}

#[test]
fn rules_lists_every_code_and_rule_prints_its_doc() {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    for rule in magelint::rules::RULES {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(rule.meta.code))
            .unwrap_or_else(|| panic!("{} missing from `magelint rules`", rule.meta.code));
        assert!(line.contains(rule.meta.name), "{line}");
    }
    let doc = run(&["rule", "mg003"]);
    assert_eq!(doc.code, 0);
    assert!(
        doc.stdout.starts_with("# MG003 duplicate-key"),
        "{}",
        doc.stdout
    );
    assert!(doc.stdout.contains("## Why it matters"));
    assert_eq!(run(&["rule", "XX001"]).code, 2);
}

#[test]
fn rules_ece_tools_lists_every_ece_tools_code_with_its_answer() {
    let out = run(&["rules", "--ece-tools"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for error in &magelint::ece_tools::catalogue().errors {
        let line = out
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(&error.code.to_string()))
            .unwrap_or_else(|| panic!("{} missing from `magelint rules --ece-tools`", error.code));
        assert!(line.contains(&error.constant), "{line}");
    }
    let database = out
        .stdout
        .lines()
        .find(|l| l.starts_with("109 "))
        .unwrap_or_default();
    assert!(database.ends_with("EC001"), "{database}");
    let writable = out
        .stdout
        .lines()
        .find(|l| l.starts_with("2 "))
        .unwrap_or_default();
    assert!(
        writable.contains("not decidable: needs the container's filesystem"),
        "{writable}"
    );
}

#[test]
fn dump_prints_json_encode_shape_with_dynamic_values_and_masked_secrets() {
    let out = run(&["dump", "fixtures/demo/sites/eu/app/etc/env.php"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(value["MAGE_MODE"], "production");
    assert_eq!(
        value["crypt"]["key"]["$dynamic"],
        "getenv('MAGENTO_CRYPT_KEY')"
    );
    let out = run(&["dump", "fixtures/demo/sites/us/app/etc/env.php"]);
    assert!(out.stdout.contains("\"c2Fu…\""), "{}", out.stdout);
    let out = run(&[
        "dump",
        "--show-secrets",
        "fixtures/demo/sites/us/app/etc/env.php",
    ]);
    assert!(out
        .stdout
        .contains("c2FuZGJveC1hcGkta2V5LWRlbW8tMDAwMDAwMDAwMDAw"));
    let out = run(&["dump", "fixtures/parse/syntax-error/app/etc/env.php"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("env.php:7:5: E001"), "{}", out.stderr);
}

/// `dump` masks what a setting holds, not a word in its name: a password lifetime, a minimum
/// length or an email template id is shown; the database password, a numeric one included,
/// and the crypt key are not.
#[test]
fn dump_masks_secret_settings_not_settings_that_mention_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::write(
        etc.join("env.php"),
        "<?php\nreturn [\n    'crypt' => ['key' => 'a8f5f167f44f4964e6c998dee827110c'],\n    \
         'db' => ['connection' => ['default' => ['password' => 'Hunter2Hunter2']]],\n    \
         'queue' => ['amqp' => ['password' => 987654321]],\n    \
         'system' => ['default' => [\n        \
         'admin' => ['security' => ['password_lifetime' => '90', 'password_is_forced' => '1']],\n        \
         'customer' => ['password' => ['minimum_password_length' => '8', \
         'forgot_email_template' => 'customer_password_forgot_email_template']],\n    ]],\n];\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["dump", "app/etc/env.php"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for secret in ["a8f5f167f44f4964", "Hunter2Hunter2", "987654321"] {
        assert!(!out.stdout.contains(secret), "{}", out.stdout);
    }
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let default = &value["system"]["default"];
    assert_eq!(default["admin"]["security"]["password_lifetime"], "90");
    assert_eq!(default["admin"]["security"]["password_is_forced"], "1");
    let password = &default["customer"]["password"];
    assert_eq!(password["minimum_password_length"], "8");
    assert_eq!(
        password["forgot_email_template"],
        "customer_password_forgot_email_template"
    );
}

/// Every bad input gets its diagnostic, and the good file beside them is still checked.
#[test]
fn bad_inputs_each_get_a_diagnostic_and_do_not_hide_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = |name: &str| {
        let d = dir.path().join(name).join("app/etc");
        std::fs::create_dir_all(&d).expect("mkdir");
        d
    };
    std::fs::write(etc("empty").join("env.php"), "").expect("write");
    std::fs::write(etc("binary").join("env.php"), b"\x7fELF\0\0\x01\x02binary").expect("write");
    std::fs::write(
        etc("latin1").join("env.php"),
        b"<?php\nreturn ['name' => 'caf\xe9'];\n",
    )
    .expect("write");
    std::fs::write(
        etc("truncated").join("env.php"),
        "<?php\nreturn [\n    'db' => [\n        'host' => 'x',\n",
    )
    .expect("write");
    let deep = format!(
        "<?php\nreturn {}1{};\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    std::fs::write(etc("deep").join("env.php"), deep).expect("write");
    std::fs::write(
        etc("deep").join("env.json"),
        format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000)),
    )
    .expect("write");
    let loop_dir = etc("loop");
    std::os::unix::fs::symlink("..", loop_dir.join("up")).expect("symlink");
    std::os::unix::fs::symlink("missing-target.php", etc("dangling").join("env.php"))
        .expect("symlink");
    std::fs::write(
        etc("good").join("env.php"),
        "<?php\nreturn ['MAGE_MODE' => 'production', 'MAGE_MODE' => 'developer'];\n",
    )
    .expect("write");

    let out = run_in(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(
        out.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let expect = [
        ("empty/app/etc/env.php:1:1: E002", "no top-level `return`"),
        ("binary/app/etc/env.php:1:1: E003", "binary file"),
        ("latin1/app/etc/env.php:2:23: E003", "not valid UTF-8"),
        (
            "truncated/app/etc/env.php:5:1: E001",
            "unexpected end of file",
        ),
        ("deep/app/etc/env.php:", "deeper than 256"),
        ("deep/app/etc/env.json:", "deeper than 256"),
        ("dangling/app/etc/env.php", "E003"),
        ("good/app/etc/env.php:2:38: MG003", "MAGE_MODE"),
    ];
    for (prefix, needle) in expect {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(prefix) && l.contains(needle)),
            "no line starting with {prefix:?} containing {needle:?} in:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout.contains("E003") && out.stdout.contains("loop"),
        "symlink loop reported:\n{}",
        out.stdout
    );
}

#[test]
fn unreadable_file_is_reported_when_permissions_apply() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    let file = etc.join("env.php");
    std::fs::write(&file, "<?php return [];").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&file).is_ok() {
        eprintln!("running as root: permissions do not stop reads, nothing to test here");
        return;
    }
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "app/etc/env.php"],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("E003 cannot read: permission denied"),
        "{}",
        out.stdout
    );
}

#[test]
fn explicit_paths_are_always_read_and_missing_ones_reported() {
    let out = run(&[
        "check",
        "--format",
        "concise",
        "fixtures/parse/duplicate-keys/app/etc/env.php",
        "no/such/file.php",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("fixtures/parse/duplicate-keys/app/etc/env.php:9:17: MG003"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("no/such/file.php:1:1: E003 cannot read: no such file or directory"),
        "{}",
        out.stdout
    );
}

/// Tens of thousands of unknown keys give the first 200 findings and one summary, not 40,000
/// lines (and not quadratic time locating each).
#[test]
fn schema_findings_per_file_are_capped_with_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("app/etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    let keys: String = (0..40_000)
        .map(|i| format!("    'unknown_{i}' => 1,\n"))
        .collect();
    std::fs::write(etc.join("env.php"), format!("<?php\nreturn [\n{keys}];\n")).expect("write");
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "--select", "SCH", "."],
    );
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains(": SCH001 "))
        .collect();
    assert_eq!(
        lines.len(),
        201,
        "{}",
        out.stdout.lines().last().unwrap_or("")
    );
    assert!(out.stdout.contains("app/etc/env.php:2:8: SCH001 39800 more schema findings in this file are not shown (the first 200 are)"), "{}", &out.stdout[..out.stdout.len().min(400)]);
}

/// `!php/const` as ece-tools reads it (Symfony YAML with `Yaml::PARSE_CONSTANT`): the PDO
/// constants become their values, as keys and values; a constant only the deployed code
/// defines stays a run-time value.
#[test]
fn dump_reads_php_const_tags() {
    let out = run(&["dump", "tests/data/php-const/.magento.env.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"1001\": 1"), "{}", out.stdout);
    insta::assert_snapshot!("dump_php_const", out.stdout);
}

/// `check -v` says which ece-tools schema checked each .magento.env.yaml and why; `--format
/// json` says it in `ece_tools`.
#[test]
fn verbose_and_json_say_which_ece_tools_schema_and_why() {
    let case = "fixtures/ece-tools/parity/schema-gen-2002-1-17-use-lua";
    let out = run(&["check", "-v", "--format", "concise", case]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(&format!(
            "magelint: {case}/.magento.env.yaml: ece-tools schema 2002.1, ece-tools 2002.1.17 (bundled): composer.lock pins magento/ece-tools 2002.1.17"
        )),
        "{}",
        out.stderr
    );
    let quiet = run(&["check", "--format", "concise", case]);
    assert!(
        !quiet.stderr.contains("ece-tools schema"),
        "{}",
        quiet.stderr
    );
    let out = run(&[
        "check",
        "--format",
        "json",
        "fixtures/ece-tools/parity/schema-gen-installed-value",
    ]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let schema = &value["ece_tools"][0];
    assert_eq!(schema["generation"], "installed");
    assert_eq!(
        schema["schema"],
        "vendor/magento/ece-tools/config/schema.yaml"
    );
    let out = run(&[
        "check",
        "--format",
        "json",
        "fixtures/ece-tools/parity/schema-gen-newest-use-lua",
    ]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        value["ece_tools"][0]["reason"],
        "newest, nothing pins magento/ece-tools"
    );
    assert_eq!(value["ece_tools"][0]["version"], "2002.2.13");
}

/// A vendor/magento/ece-tools/config/schema.yaml that does not parse is E003 on the
/// .magento.env.yaml, which is still checked, with the bundled schema of its release.
#[test]
fn a_broken_installed_schema_is_reported_and_the_bundled_one_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vendor = dir.path().join("vendor/magento/ece-tools/config");
    std::fs::create_dir_all(&vendor).expect("mkdir");
    std::fs::write(vendor.join("schema.yaml"), "variables:\n  A: [\n").expect("write");
    std::fs::write(
        dir.path().join(".magento.env.yaml"),
        "stage:\n  deploy:\n    USE_LUA: true\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("composer.lock"),
        r#"{"packages": [{"name": "magento/ece-tools", "version": "2002.1.17"}]}"#,
    )
    .expect("write");
    let out = run_in(dir.path(), &["check", "-v", "--format", "concise", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(".magento.env.yaml:1:1: E003 vendor/magento/ece-tools/config/schema.yaml beside this file cannot be read (line 3:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("SCH001 `USE_LUA` is not a variable of ece-tools 2002.1.17"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("(vendor/magento/ece-tools/config/schema.yaml cannot be read)"),
        "{}",
        out.stderr
    );
}

/// `magelint check` with MAGELINT_TODAY set: the end-of-life check (EC055) judges as of that
/// day, and a value that is no date stops the run instead of turning the check off.
fn check_as_of(today: &str, args: &[&str]) -> common::Output {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_magelint"))
        .args(args)
        .current_dir(common::root())
        .env("MAGELINT_TODAY", today)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the magelint binary runs");
    common::Output {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

#[test]
fn end_of_life_is_judged_as_of_magelint_today() {
    let args = [
        "check",
        "--format",
        "concise",
        "--select",
        "EC055",
        "fixtures/rules/EC055/fires",
    ];
    // ece-tools 2002.1.17 ends PHP 7.4 on 2022-11-28 and MariaDB 10.3 on 2023-05-25.
    let before = check_as_of("2022-06-01", &args);
    assert_eq!(before.code, 0, "{}{}", before.stdout, before.stderr);
    assert!(!before.stdout.contains("EC055"), "{}", before.stdout);
    let notice = check_as_of("2022-10-01", &args);
    assert_eq!(notice.code, 0, "{}", notice.stdout);
    assert!(
        notice
            .stdout
            .contains("reaches its end of life on 2022-11-28"),
        "{}",
        notice.stdout
    );
    assert!(
        !notice.stdout.contains("ece-tools 2018"),
        "{}",
        notice.stdout
    );
    let passed = check_as_of("2022-11-28", &args);
    assert!(
        passed.stdout.contains(
            "passed its end of life on 2022-11-28 (ece-tools 2018 WARN_SERVICE_PASSED_EOL)"
        ),
        "{}",
        passed.stdout
    );
    assert!(!passed.stdout.contains("2023-05-25"), "{}", passed.stdout);
    let later = check_as_of("2023-06-01", &args);
    assert_eq!(
        later.stdout.matches("passed its end of life").count(),
        2,
        "{}",
        later.stdout
    );

    let bad = check_as_of("tomorrow", &args);
    assert_eq!(bad.code, 2, "{}", bad.stdout);
    assert!(bad.stderr.contains("MAGELINT_TODAY"), "{}", bad.stderr);
}
