//! Users do not have the team's private notes: nothing they can read (rule docs, generated
//! pages, README, schemas, every `--help`) may cite `../shared/`, DOMAIN.md or DESIGN.md.

mod common;

/// What a private citation looks like, including the short `DESIGN §5` form.
const PRIVATE: &[&str] = &[
    "../shared",
    "DOMAIN.md",
    "DESIGN.md",
    "DOMAIN §",
    "DESIGN §",
];

fn private_citations(text: &str) -> Vec<&'static str> {
    PRIVATE
        .iter()
        .copied()
        .filter(|needle| text.contains(needle))
        .collect()
}

/// Fails with every offending place at once, so one run lists all that needs a public source.
fn assert_public(places: Vec<(String, String)>) {
    let offending: Vec<String> = places
        .iter()
        .filter_map(|(place, text)| {
            let found = private_citations(text);
            (!found.is_empty()).then(|| format!("{place}: {found:?}"))
        })
        .collect();
    assert!(
        offending.is_empty(),
        "user-visible text cites private notes; name the public source instead:\n{}",
        offending.join("\n")
    );
}

#[test]
fn the_check_sees_a_private_citation() {
    assert_eq!(
        private_citations("see ../shared/DOMAIN.md §2"),
        ["../shared", "DOMAIN.md"]
    );
    assert_eq!(
        private_citations("The versioned JSON model (DESIGN §5)"),
        ["DESIGN §"]
    );
    assert!(private_citations("the shared config.php (DOMAIN is a word)").is_empty());
}

#[test]
fn rule_docs_cite_public_sources() {
    assert!(!magelint::rules::RULES.is_empty());
    let mut places = Vec::new();
    for rule in magelint::rules::RULES {
        let meta = rule.meta;
        assert!(
            meta.doc.contains("## Source"),
            "{} has no Source section",
            meta.code
        );
        places.push((format!("{} doc", meta.code), meta.markdown()));
        let printed = common::run(&["rule", meta.code]);
        assert_eq!(
            printed.code, 0,
            "magelint rule {}: {}",
            meta.code, printed.stderr
        );
        places.push((format!("magelint rule {}", meta.code), printed.stdout));
    }
    let listed = common::run(&["rules"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    places.push(("magelint rules".to_string(), listed.stdout));
    assert_public(places);
}

#[test]
fn docs_readme_and_schemas_cite_public_sources() {
    let root = common::root();
    let mut places = Vec::new();
    for dir in ["docs/rules", "schemas"] {
        let mut count = 0;
        for entry in std::fs::read_dir(root.join(dir)).expect(dir) {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            places.push((path.display().to_string(), text));
            count += 1;
        }
        assert!(count > 0, "{dir} is empty");
    }
    places.push((
        "README.md".to_string(),
        std::fs::read_to_string(root.join("README.md")).expect("README.md"),
    ));
    assert_public(places);
}

/// The subcommands as `magelint --help` lists them, so a new one is checked without editing
/// this test.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_help_cites_public_sources() {
    let top = common::run(&["--help"]);
    assert_eq!(top.code, 0, "{}", top.stderr);
    let commands = subcommands(&top.stdout);
    assert!(
        commands.iter().any(|c| c == "check") && commands.len() >= 5,
        "could not read the subcommands from --help:\n{}",
        top.stdout
    );
    let mut places = vec![("magelint --help".to_string(), top.stdout.clone())];
    for command in &commands {
        let help = common::run(&[command, "--help"]);
        assert_eq!(help.code, 0, "magelint {command} --help: {}", help.stderr);
        assert!(
            !help.stdout.is_empty(),
            "magelint {command} --help is empty"
        );
        places.push((format!("magelint {command} --help"), help.stdout));
    }
    assert_public(places);
}
