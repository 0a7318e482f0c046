//! magelint reads Composer constraints as composer/semver does (ece-tools decides with it):
//! every pair of tests/data/composer-semver-cases.json, written by composer/semver itself
//! (`php scripts/composer-semver-cases.php PATH/TO/composer-semver/src`), gets the same answer.

use magelint::semver::{Constraint, Version};

#[test]
fn constraints_read_as_composer_semver_reads_them() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/composer-semver-cases.json"),
    )
    .expect("the cases file");
    let cases: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let versions: Vec<&str> = cases["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let constraints = cases["constraints"].as_object().expect("constraints");
    assert!(versions.len() > 400 && constraints.len() > 100);
    let mut wrong = Vec::new();
    for (text, satisfied) in constraints {
        let constraint = Constraint::parse(text).unwrap_or_else(|| panic!("`{text}` reads"));
        let satisfied: Vec<u64> = satisfied
            .as_array()
            .expect("indexes")
            .iter()
            .filter_map(|i| i.as_u64())
            .collect();
        for (index, version) in versions.iter().enumerate() {
            let parsed = Version::parse(version).unwrap_or_else(|| panic!("`{version}` reads"));
            let expected = satisfied.contains(&(index as u64));
            if constraint.matches(&parsed) != expected {
                wrong.push(format!(
                    "{version} {} `{text}`",
                    if expected {
                        "satisfies"
                    } else {
                        "does not satisfy"
                    }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ from composer/semver:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
