//! The README's rule table is generated from the rules' own metadata; this test fails when it
//! is stale. `UPDATE_README=1 cargo test --test readme` rewrites it.

mod common;

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

fn table() -> String {
    let mut out = String::from("| Code | Name | Default | What it does |\n|---|---|---|---|\n");
    for rule in magelint::rules::RULES {
        let meta = rule.meta;
        let default = if meta.default_enabled {
            meta.severity.to_string()
        } else {
            format!("{} (off)", meta.severity)
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            meta.code,
            meta.name,
            default,
            meta.summary().replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the {START} … {END} markers");
    };
    let current = &readme[start + START.len()..end];
    let expected = format!("\n{}", table());
    if current != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!(
                "{}{}{}{}",
                &readme[..start],
                START,
                expected,
                &readme[end..]
            );
            std::fs::write(&path, updated).expect("write README.md");
            return;
        }
        panic!("README rule table is stale; run `UPDATE_README=1 cargo test --test readme`. Expected:\n{expected}");
    }
}

#[test]
fn readme_first_lines_give_the_two_commands() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let head: String = readme.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo run --release -- check fixtures/demo"),
        "{head}"
    );
    assert!(head.contains("cargo test --release"), "{head}");
    let ci = std::fs::read_to_string(common::root().join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("cargo test --release"),
        ".ci/run must run the README's test command"
    );
}

/// The README shows the demo's real output: every line of `check --format concise fixtures/demo`.
#[test]
fn readme_shows_the_current_demo_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let out = common::run(&["check", "--format", "concise", "fixtures/demo"]);
    assert_eq!(out.code, 1);
    for line in out.stdout.lines() {
        assert!(
            readme.contains(line),
            "README.md lacks the demo output line:\n{line}"
        );
    }
}

/// `docs/rules/<CODE>.md` (the pages SARIF and editors link to) are generated from the rules'
/// doc comments; `UPDATE_README=1 cargo test --test readme` rewrites them.
#[test]
fn rule_pages_are_generated_from_the_rules() {
    let dir = common::root().join("docs/rules");
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut stale = Vec::new();
    for rule in magelint::rules::RULES {
        let path = dir.join(format!("{}.md", rule.meta.code));
        let expected = rule.meta.markdown();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).expect("mkdir docs/rules");
                std::fs::write(&path, &expected).expect("write rule page");
            } else {
                stale.push(rule.meta.code);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule pages {stale:?}; run `UPDATE_README=1 cargo test --test readme`"
    );
}
