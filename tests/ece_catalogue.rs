//! docs/ece-tools.md is generated from ece-tools' error catalogue, each rule's declared
//! `ece_tools` codes and data/ece-tools/decidability.json; this test fails when it is stale,
//! when a code has no answer or two, or when a covered code has no fixture that shows it.
//! `UPDATE_README=1 cargo test --test ece_catalogue` rewrites the page.

mod common;

use magelint::diagnostic::RuleMeta;
use std::collections::{BTreeMap, BTreeSet};

/// Codes a rule covers that no fixture can show on their own: the same `.magento.env.yaml`
/// parse failure as 4, which the deploy, post-deploy and other commands would raise had the
/// build not stopped first.
const SAME_FAILURE_AS_4: &[u16] = &[104, 204, 244];

/// The ece-tools codes cited (`ece-tools NNN`) in the messages of `magelint check` on `dir`
/// with `rule` selected.
fn cited(rule: &str, dir: &str) -> BTreeSet<u16> {
    let out = common::run(&["check", "--format", "json", "--select", rule, dir]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("json output");
    let mut codes = BTreeSet::new();
    for diagnostic in value["diagnostics"].as_array().into_iter().flatten() {
        let message = diagnostic["message"].as_str().unwrap_or_default();
        for part in message.split("ece-tools ").skip(1) {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(code) = digits.parse() {
                codes.insert(code);
            }
        }
    }
    codes
}

/// Parity cases (fixtures/ece-tools/parity/<case>/verdict.txt) by the codes their verdict
/// lists.
fn parity_cases() -> BTreeMap<u16, Vec<String>> {
    let mut by_code: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let dir = common::root().join("fixtures/ece-tools/parity");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return by_code;
    };
    let mut cases: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    cases.sort();
    for case in cases {
        let Ok(verdict) = std::fs::read_to_string(case.join("verdict.txt")) else {
            continue;
        };
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let first = verdict.lines().next().unwrap_or_default();
        for code in first.split_whitespace().skip(1) {
            if let Ok(code) = code.parse() {
                by_code
                    .entry(code)
                    .or_default()
                    .push(format!("fixtures/ece-tools/parity/{name}"));
            }
        }
    }
    by_code
}

fn page() -> String {
    let parity = parity_cases();
    // Each rule's `fires` and `fires-…` fixtures, with the codes their findings cite.
    let mut fires: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for rule in magelint::rules::RULES {
        let base = format!("fixtures/rules/{}", rule.meta.code);
        let Ok(entries) = std::fs::read_dir(common::root().join(&base)) else {
            continue;
        };
        if rule.meta.ece_tools.is_empty() {
            continue;
        }
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "fires" || name.starts_with("fires-") {
                let dir = format!("{base}/{name}");
                let codes = cited(rule.meta.code, &dir);
                fires.insert(dir, codes);
            }
        }
    }
    let fixtures = |meta: &RuleMeta, code: u16| {
        let prefix = format!("fixtures/rules/{}/", meta.code);
        let mut found: Vec<String> = fires
            .iter()
            .filter(|(dir, codes)| dir.starts_with(&prefix) && codes.contains(&code))
            .map(|(dir, _)| dir.clone())
            .collect();
        found.extend(parity.get(&code).into_iter().flatten().cloned());
        found
    };
    magelint::ece_coverage::markdown(&fixtures)
}

#[test]
fn every_code_has_exactly_one_answer() {
    let problems = magelint::ece_coverage::problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn catalogue_page_is_generated_and_every_covered_code_has_a_fixture() {
    let path = common::root().join("docs/ece-tools.md");
    let expected = page();
    let mut missing = Vec::new();
    for line in expected
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("| yes |"))
    {
        let cells: Vec<&str> = line.split(" | ").collect();
        let code: u16 = cells[0].trim_start_matches("| ").parse().unwrap_or(0);
        let covered = !cells[5].starts_with("not covered");
        if covered
            && cells[6].trim_end_matches(" |").trim().is_empty()
            && !SAME_FAILURE_AS_4.contains(&code)
        {
            missing.push(code);
        }
    }
    assert!(
        missing.is_empty(),
        "covered codes without a fixture: {missing:?}"
    );
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            std::fs::write(&path, &expected).expect("write docs/ece-tools.md");
            return;
        }
        panic!("docs/ece-tools.md is stale; run `UPDATE_README=1 cargo test --test ece_catalogue`");
    }
}
