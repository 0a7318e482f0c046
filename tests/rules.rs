//! Every rule has fixtures under fixtures/rules/<CODE>/: `fires/` must raise it, `quiet/` must
//! not. The rendered `full` output of `fires/` is snapshotted, so a reviewer reads what a user
//! would read in the terminal.

mod common;
use common::{root, run};

/// Rules that cannot be triggered by a file (E000 is magelint's own failure).
/// ML004 needs `--baseline`; tests/adoption.rs covers it.
const NO_FIXTURE: &[&str] = &["E000", "ML004"];

/// Rules that judge other rules' findings need those rules on too.
const ALSO_SELECT: &[(&str, &str)] = &[("ML001", "MG003")];

fn codes_in(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).expect("json output");
    value["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|d| d["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The case directories of a rule: `fires`, `quiet` and those named `fires-…` / `quiet-…`.
fn cases(dir: &std::path::Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|name| {
                    ["fires", "quiet"]
                        .iter()
                        .any(|c| name == c || name.starts_with(&format!("{c}-")))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn every_rule_fires_on_its_fixture_and_stays_quiet_on_the_other() {
    let mut failures = Vec::new();
    for rule in magelint::rules::RULES {
        let code = rule.meta.code;
        if NO_FIXTURE.contains(&code) {
            continue;
        }
        let dir = format!("fixtures/rules/{code}");
        if !root().join(&dir).is_dir() {
            failures.push(format!("{code}: no fixtures in {dir}"));
            continue;
        }
        for case in ["fires", "quiet"] {
            if !root().join(dir.as_str()).join(case).is_dir() {
                failures.push(format!("{code}: missing {dir}/{case}"));
            }
        }
        // `fires/` and `quiet/`, and more cases named after them (`fires-compose/`).
        for case in cases(&root().join(&dir)) {
            let must_fire = case.starts_with("fires");
            let path = format!("{dir}/{case}");
            let select = match ALSO_SELECT.iter().find(|(c, _)| *c == code) {
                Some((_, extra)) => format!("{code},{extra}"),
                None => code.to_string(),
            };
            let out = run(&["check", "--format", "json", "--select", &select, &path]);
            let fired = codes_in(&out.stdout).iter().any(|c| c == code);
            if fired != must_fire {
                failures.push(format!(
                    "{code}: {path} {} but should {}:\n{}",
                    if fired { "fires" } else { "is quiet" },
                    if must_fire { "fire" } else { "stay quiet" },
                    out.stdout
                ));
            }
            if must_fire {
                let full = run(&["check", "--format", "full", "--select", &select, &path]);
                let name = match case.strip_prefix("fires-") {
                    Some(suffix) => format!("rule_{code}_{suffix}"),
                    None => format!("rule_{code}"),
                };
                insta::assert_snapshot!(name, full.stdout);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One fact, one finding: where two rules could report the same value, only the more specific
/// one does (MS006 over SCH003 on `magento_saas/environment`; MS004 over MS005 on a Testing data
/// space of Open Source; MS001 over MS002 on a staging site on the Production data space;
/// MS017 over MS002 on a data space pinned in config.php; MS004 and MS016 over MS007 on a
/// sandbox selection without sandbox keys; MG005 over MG006 on a variable no scope code can
/// match: an id, an empty code).
#[test]
fn one_fact_is_reported_once() {
    for (path, select, expected) in [
        (
            "fixtures/rules/SCH003/quiet/key-environment",
            "SCH003,MS006",
            vec!["MS006"],
        ),
        (
            "fixtures/rules/MS005/quiet/open-source-testing",
            "MS004,MS005",
            vec!["MS004"],
        ),
        (
            "fixtures/rules/MS002/quiet/staging-on-production",
            "MS001,MS002",
            vec!["MS001"],
        ),
        (
            "fixtures/rules/MS002/quiet/pinned",
            "MS002,MS017",
            vec!["MS017"],
        ),
        (
            "fixtures/rules/MS007/quiet/open-source-sandbox",
            "MS004,MS007",
            vec!["MS004"],
        ),
        (
            "fixtures/rules/MS007/quiet/production-sandbox",
            "MS007,MS016",
            vec!["MS016"],
        ),
        (
            "fixtures/rules/MG005/fires",
            "MG005,MG006",
            vec!["MG005"; 5],
        ),
    ] {
        let out = run(&["check", "--format", "json", "--select", select, path]);
        assert_eq!(codes_in(&out.stdout), expected, "{path}: {}", out.stdout);
    }
}

/// ML003 asks for the tier only of a site that uses Magento Services: each Services value alone
/// makes the site's unknown tier worth reporting; the modules' defaults do not.
#[test]
fn ml003_asks_only_sites_that_use_services() {
    const SYSTEM: &str = "'system' => ['default' => [";
    let cases: &[(&str, bool)] = &[
        ("", false),
        ("'magento_saas' => ['environment' => 'production'],", false),
        ("'magento_saas' => ['environment' => 'Production'],", false),
        (
            "'services_connector' => ['services_id' => ['project_id' => '', 'environment_id' => '', 'environment' => ''], 'services_connector_integration' => ['production_api_key' => '', 'sandbox_private_key' => null]],",
            false,
        ),
        ("'magento_saas' => ['environment' => 'sandbox'],", true),
        ("'magento_saas' => ['environment' => getenv('SAAS_ENV')],", true),
        ("'services_connector' => ['services_id' => ['project_id' => 'shop']],", true),
        ("'services_connector' => ['services_id' => ['environment' => 'Testing']],", true),
        (
            "'services_connector' => ['services_id' => ['environment_id' => '8eb8e3be-728d-4dea-8875-000000000001']],",
            true,
        ),
        (
            "'services_connector' => ['services_id' => ['environment_id' => getenv('SAAS_ID')]],",
            true,
        ),
        (
            "'services_connector' => ['services_connector_integration' => ['production_api_key' => getenv('KEY')]],",
            true,
        ),
        (
            "'services_connector' => ['services_connector_integration' => ['sandbox_private_key' => getenv('KEY')]],",
            true,
        ),
    ];
    for (services, fires) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let etc = dir.path().join("app/etc");
        std::fs::create_dir_all(&etc).expect("mkdir");
        let env = format!(
            "<?php\nreturn [\n    'MAGE_MODE' => 'production',\n    {SYSTEM}\n        {services}\n        'web' => ['secure' => ['base_url' => 'https://www.acme.eu/']]\n    ]]\n];\n"
        );
        std::fs::write(etc.join("env.php"), env).expect("write env.php");
        let out = common::run_in(
            dir.path(),
            &["check", "--format", "json", "--select", "ML003", "."],
        );
        let fired = codes_in(&out.stdout).iter().any(|c| c == "ML003");
        assert_eq!(fired, *fires, "`{services}`: {}", out.stdout);
    }
}
