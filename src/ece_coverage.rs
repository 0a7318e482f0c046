//! ece-tools' error codes against magelint: for each code of the catalogue
//! (data/ece-tools/errors.json), the rules that decide it from the repository's files (each
//! rule's `ece_tools` codes), or why it cannot be decided before the deploy
//! (data/ece-tools/decidability.json). docs/ece-tools.md is [`markdown`] of it; a test keeps
//! both current and checks that every code has exactly one answer.

use crate::diagnostic::RuleMeta;
use crate::ece_tools::{catalogue, EceError};
use crate::rules::RULES;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// data/ece-tools/decidability.json: the codes no rule covers, and why.
#[derive(Debug, serde::Deserialize)]
pub struct Decidability {
    /// The ece-tools release the reasons were checked against.
    pub ece_tools_version: String,
    /// Where the reasons' file names point.
    pub source: String,
    /// Codes that depend on more than the repository's files.
    pub undecidable: Vec<Undecidable>,
    /// Codes the repository's files decide but no rule covers yet.
    pub uncovered: Vec<Uncovered>,
    /// Codes ece-tools raises that its catalogue (schema.error.yaml) does not list.
    pub outside_catalogue: Vec<OutsideCatalogue>,
}

#[derive(Debug, serde::Deserialize)]
pub struct Undecidable {
    pub code: u16,
    /// What ece-tools reads that the repository does not hold.
    pub needs: Need,
    /// Where ece-tools raises it and on what.
    pub reason: String,
}

/// What an undecidable code depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// The container's filesystem (permissions, files written during the build or deploy).
    Filesystem,
    /// The output or exit code of a command run during the build or deploy.
    CommandOutput,
    /// The running database.
    Database,
    /// A running service (Redis, Elasticsearch, OpenSearch).
    RunningService,
    /// HTTP requests to the deployed site.
    Network,
    /// Variables set on the Cloud project or environment, outside the repository.
    CloudVariables,
    /// The outcome of an earlier stage of the same deploy.
    DeployOutcome,
    /// A defect or the installation of ece-tools itself, not the project's configuration.
    EceTools,
}

impl Need {
    pub fn describe(self) -> &'static str {
        match self {
            Need::Filesystem => "the container's filesystem",
            Need::CommandOutput => "a command's outcome",
            Need::Database => "the database",
            Need::RunningService => "a running service",
            Need::Network => "the network",
            Need::CloudVariables => "Cloud project variables",
            Need::DeployOutcome => "the deploy's outcome",
            Need::EceTools => "ece-tools itself",
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct Uncovered {
    pub code: u16,
    /// What the repository holds that decides it, and what a rule would check.
    pub note: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct OutsideCatalogue {
    pub code: u16,
    pub constant: String,
    pub note: String,
}

/// The bundled decidability data.
pub fn decidability() -> &'static Decidability {
    static DATA: OnceLock<Decidability> = OnceLock::new();
    DATA.get_or_init(|| {
        // Bundled and checked by a test: a broken file is a build defect, not user input.
        serde_json::from_str(include_str!("../data/ece-tools/decidability.json"))
            .expect("data/ece-tools/decidability.json is valid")
    })
}

/// What magelint says about one code.
pub enum Status {
    /// Decided before the deploy by these rules.
    Covered(Vec<&'static RuleMeta>),
    Undecidable(&'static Undecidable),
    Uncovered(&'static Uncovered),
    /// Neither (a defect the test reports).
    Unknown,
}

/// The rules that declare `code`.
pub fn covering(code: u16) -> Vec<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta)
        .filter(|m| m.ece_tools.contains(&code))
        .collect()
}

pub fn status(code: u16) -> Status {
    let rules = covering(code);
    if !rules.is_empty() {
        return Status::Covered(rules);
    }
    let data = decidability();
    if let Some(u) = data.undecidable.iter().find(|u| u.code == code) {
        return Status::Undecidable(u);
    }
    match data.uncovered.iter().find(|u| u.code == code) {
        Some(u) => Status::Uncovered(u),
        None => Status::Unknown,
    }
}

/// Everything wrong with the data: a code with no answer or two, an entry for a code ece-tools
/// does not have, a rule declaring an unknown code, an empty reason.
pub fn problems() -> Vec<String> {
    let data = decidability();
    let errors = &catalogue().errors;
    let known = |code: u16| errors.iter().any(|e| e.code == code);
    let mut problems = Vec::new();
    for error in errors {
        let code = error.code;
        let answers = [
            !covering(code).is_empty(),
            data.undecidable.iter().any(|u| u.code == code),
            data.uncovered.iter().any(|u| u.code == code),
        ];
        let listed = data.undecidable.iter().filter(|u| u.code == code).count()
            + data.uncovered.iter().filter(|u| u.code == code).count();
        match answers.iter().filter(|a| **a).count() {
            0 => problems.push(format!("{code} {}: no rule covers it and decidability.json does not list it", error.constant)),
            1 if listed <= 1 => {}
            _ => problems.push(format!(
                "{code} {}: more than one answer (covered by {:?}, listed {listed} times in decidability.json)",
                error.constant,
                covering(code).iter().map(|m| m.code).collect::<Vec<_>>()
            )),
        }
    }
    for (code, text) in data
        .undecidable
        .iter()
        .map(|u| (u.code, &u.reason))
        .chain(data.uncovered.iter().map(|u| (u.code, &u.note)))
    {
        if !known(code) {
            problems.push(format!(
                "decidability.json lists {code}, which ece-tools' catalogue does not have"
            ));
        }
        if text.trim().len() < 20 {
            problems.push(format!("decidability.json: {code} needs a reason"));
        }
    }
    for outside in &data.outside_catalogue {
        if known(outside.code) {
            problems.push(format!(
                "{} is in the catalogue, not outside it",
                outside.code
            ));
        }
    }
    for rule in RULES {
        for &code in rule.meta.ece_tools {
            if !known(code) {
                problems.push(format!(
                    "{} declares ece-tools {code}, which the catalogue does not have",
                    rule.meta.code
                ));
            }
        }
    }
    problems
}

/// docs/ece-tools.md. `fixtures(rule, code)` lists the fixtures (paths from the repository
/// root) that show `rule` finding `code`.
pub fn markdown(fixtures: &dyn Fn(&RuleMeta, u16) -> Vec<String>) -> String {
    let data = decidability();
    let errors = &catalogue().errors;
    let mut covered = 0;
    let mut uncovered = 0;
    let mut needs: std::collections::BTreeMap<Need, usize> = std::collections::BTreeMap::new();
    for error in errors {
        match status(error.code) {
            Status::Covered(_) => covered += 1,
            Status::Uncovered(_) => uncovered += 1,
            Status::Undecidable(u) => *needs.entry(u.needs).or_default() += 1,
            Status::Unknown => {}
        }
    }
    let undecidable: usize = needs.values().sum();
    let mut out = String::new();
    let _ = writeln!(out, "# ece-tools error codes and magelint\n");
    let _ = writeln!(
        out,
        "<!-- Generated from data/ece-tools/errors.json, data/ece-tools/decidability.json and the rules' declared codes; do not edit. Regenerate: UPDATE_README=1 cargo test --test ece_catalogue -->\n"
    );
    let _ = writeln!(
        out,
        "Every error code of ece-tools {} ([`config/schema.error.yaml`]({})), whether the repository's files decide it, and the magelint rules that report it before the deploy. A finding standing for an ece-tools error names its code and constant (`ece-tools 109 DEPLOY_WRONG_CONFIGURATION_DB`), and is an error when ece-tools' type is critical, a warning when it is a warning. See Adobe's [error reference](https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/dev-tools/ece-tools/error-reference) for each code's meaning. `magelint rules --ece-tools` prints the same list.\n",
        catalogue().ece_tools_version,
        catalogue().source
    );
    let _ = writeln!(out, "- codes: {}", errors.len());
    let _ = writeln!(
        out,
        "- decidable from the repository's files: {} — covered by a rule: {covered}, not covered yet: {uncovered}",
        covered + uncovered
    );
    let detail: Vec<String> = needs
        .iter()
        .map(|(need, count)| format!("{}: {count}", need.describe()))
        .collect();
    let _ = writeln!(
        out,
        "- not decidable before the deploy: {undecidable} ({})\n",
        detail.join(", ")
    );
    let _ = writeln!(out, "{}\n", data.source);
    let _ = writeln!(
        out,
        "| Code | Constant | Stage | Type | Decidable from the repository | Covered by, or why not | Fixtures |\n|---|---|---|---|---|---|---|"
    );
    for error in errors {
        let (decidable, rules, shown) = match status(error.code) {
            Status::Covered(rules) => {
                let names: Vec<String> = rules
                    .iter()
                    .map(|m| format!("[{}](rules/{}.md) `{}`", m.code, m.code, m.name))
                    .collect();
                let mut found: Vec<String> = Vec::new();
                for path in rules.iter().flat_map(|m| fixtures(m, error.code)) {
                    let link = format!("[{}](../{path})", short(&path));
                    if !found.contains(&link) {
                        found.push(link);
                    }
                }
                ("yes".to_string(), names.join(", "), found.join(", "))
            }
            Status::Uncovered(u) => (
                "yes".to_string(),
                format!("not covered yet: {}", cell(&u.note)),
                String::new(),
            ),
            Status::Undecidable(u) => (
                format!("no — needs {}", u.needs.describe()),
                cell(&u.reason),
                String::new(),
            ),
            Status::Unknown => ("?".to_string(), String::new(), String::new()),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {decidable} | {rules} | {shown} |",
            error.code,
            error.constant,
            stage(error),
            error.kind
        );
    }
    if !data.outside_catalogue.is_empty() {
        let _ = writeln!(
            out,
            "\nece-tools {} also raises codes its catalogue does not list (so its error reference has no entry for them):\n",
            data.ece_tools_version
        );
        for outside in &data.outside_catalogue {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                outside.code, outside.constant, outside.note
            );
        }
    }
    out
}

/// `magelint rules --ece-tools`: one line per code, with its rules or why it is not covered.
pub fn text() -> String {
    let mut out = String::new();
    for error in &catalogue().errors {
        let answer = match status(error.code) {
            Status::Covered(rules) => rules.iter().map(|m| m.code).collect::<Vec<_>>().join(", "),
            Status::Uncovered(_) => "decidable, not covered yet".to_string(),
            Status::Undecidable(u) => format!("not decidable: needs {}", u.needs.describe()),
            Status::Unknown => "?".to_string(),
        };
        let _ = writeln!(
            out,
            "{:<5} {:<44} {:<8} {answer}",
            error.code, error.constant, error.kind
        );
    }
    let _ = writeln!(
        out,
        "\nece-tools {}; the reasons and fixtures: docs/ece-tools.md",
        catalogue().ece_tools_version
    );
    out
}

fn stage(error: &EceError) -> String {
    match (&error.stage, &error.step) {
        (Some(stage), Some(step)) => format!("{stage} ({step})"),
        (Some(stage), None) => stage.clone(),
        (None, _) => String::new(),
    }
}

/// Text for a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A fixture's path without its common prefix, for the link text.
fn short(path: &str) -> &str {
    path.strip_prefix("fixtures/").unwrap_or(path)
}
