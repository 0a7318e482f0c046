//! ece-tools' check of `.magento.env.yaml` (`Config\Validator\Build\StageConfig` with
//! `Config\Schema\Validator`), on the parsed file: every variable of every `stage` entry must be
//! in the schema, of its PHP type, in one of its stages, and pass its value validators and
//! allowed values. Each failure stops the build with ece-tools 10. ece-tools reports the first
//! failure of a variable; magelint reports the wrong type and the wrong stage both (each must be
//! fixed) and checks the value only when its type is right, as ece-tools can.

use super::php::{self, Scalar};
use super::{newest, Allowed, Choice, ValueCheck, Variable};
use crate::diagnostic::Severity;
use crate::schema::Problem;
use crate::syntax::{push_pointer, Entry, Key, Node, Span, Value};

/// The stages ece-tools reads.
pub const STAGES: [&str; 4] = ["global", "build", "deploy", "post-deploy"];

/// ece-tools' code for a `.magento.env.yaml` its schema refuses
/// (BUILD_WRONG_CONFIGURATION_MAGENTO_ENV_YAML).
pub const WRONG_CONFIGURATION: u16 = 10;

/// One finding on a `.magento.env.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvFinding {
    pub problem: Problem,
    /// The key when it is written, else the value.
    pub span: Span,
    pub pointer: String,
    pub message: String,
    pub help: Option<String>,
    /// The ece-tools error the build stops with, when it is one of ece-tools' own.
    pub code: Option<u16>,
    /// A severity other than the rule's default.
    pub severity: Option<Severity>,
}

/// The findings on a `.magento.env.yaml` whose parsed root is `root`, checked with `choice`.
pub fn validate(choice: &Choice, root: &Node) -> Vec<EnvFinding> {
    let mut out = Vec::new();
    let Some(stage) = root.entry("stage") else {
        return out;
    };
    let pointer = "/stage".to_string();
    match &stage.value.value {
        Value::Null | Value::Dynamic(_) => {}
        Value::Array { entries, .. } => {
            for entry in entries {
                check_stage(choice, entry, &pointer, &mut out);
            }
        }
        other => out.push(crash(
            stage,
            pointer,
            "`stage` must be a map of stages",
            other,
        )),
    }
    out
}

fn check_stage(choice: &Choice, stage: &Entry, parent: &str, out: &mut Vec<EnvFinding>) {
    let mut pointer = parent.to_string();
    push_pointer(&mut pointer, &stage.key);
    let name = stage.key.to_string();
    let known = matches!(&stage.key, Key::Str(s) if STAGES.contains(&s.as_str()));
    let ignored = || {
        let mut message = format!(
            "`{name}` is not a stage ({}): ece-tools ignores it",
            STAGES.join(", ")
        );
        if let Some(stage) = stage_suggestion(&name) {
            message.push_str(&format!("; did you mean `{stage}`?"));
        }
        EnvFinding {
            problem: Problem::UnknownKey,
            span: key_span(stage),
            pointer: pointer.clone(),
            message,
            help: None,
            code: None,
            severity: None,
        }
    };
    match &stage.value.value {
        Value::Dynamic(_) => {}
        Value::Null if known => {}
        // ece-tools skips a stage that is no map, but merges the four it reads with
        // `array_replace`, which stops the build on anything else.
        Value::Null => out.push(ignored()),
        Value::Array { entries, .. } if entries.is_empty() && !known => out.push(ignored()),
        Value::Array { entries, .. } => {
            if entries.iter().any(|e| matches!(e.key, Key::Int(_))) {
                let what = format!("`stage.{name}` must be a map of variables");
                out.push(crash(stage, pointer, &what, &stage.value.value));
                return;
            }
            for entry in entries {
                check_variable(choice, &name, known, entry, &pointer, out);
            }
        }
        _ if !known => out.push(ignored()),
        other => {
            let what = format!("`stage.{name}` must be a map of variables");
            out.push(crash(stage, pointer, &what, other));
        }
    }
}

/// A structure ece-tools cannot read at all: it stops with a PHP error, no code of its own.
fn crash(entry: &Entry, pointer: String, what: &str, found: &Value) -> EnvFinding {
    let found = match found {
        Value::Array { .. } => "a list".to_string(),
        other => php::gettype(other).map_or_else(|| "a value".into(), php::type_in_words),
    };
    EnvFinding {
        problem: Problem::WrongType,
        span: key_span(entry),
        pointer,
        message: format!(
            "{what}, found {found}: ece-tools stops the build or deploy with a PHP error reading it"
        ),
        help: None,
        code: None,
        severity: None,
    }
}

fn key_span(entry: &Entry) -> Span {
    entry.key_span.get().unwrap_or(entry.value.span)
}

fn check_variable(
    choice: &Choice,
    stage: &str,
    known_stage: bool,
    entry: &Entry,
    parent: &str,
    out: &mut Vec<EnvFinding>,
) {
    let mut pointer = parent.to_string();
    push_pointer(&mut pointer, &entry.key);
    let name = entry.key.to_string();
    let schema = choice.schema();
    let finding = |problem, message: String, help: Option<String>| match choice.exact {
        true => EnvFinding {
            problem,
            span: key_span(entry),
            pointer: pointer.clone(),
            message: format!(
                "{message} ({}: the build stops)",
                crate::ece_tools::cite(WRONG_CONFIGURATION)
            ),
            help,
            code: Some(WRONG_CONFIGURATION),
            severity: Some(crate::ece_tools::severity(WRONG_CONFIGURATION)),
        },
        // A release older than every bundled schema: what its own ece-tools says is not known.
        false => EnvFinding {
            problem,
            span: key_span(entry),
            pointer: pointer.clone(),
            message: format!(
                "{message}, by the schema of ece-tools {}; magelint has none of {}",
                schema.generation,
                choice.describe()
            ),
            help,
            code: None,
            severity: Some(Severity::Warning),
        },
    };
    let Some(variable) = schema.variable(&name).filter(|v| v.exists_at(choice.at)) else {
        let (message, help) = unknown_variable(choice, &name);
        out.push(finding(Problem::UnknownKey, message, help));
        return;
    };
    let value = &entry.value.value;
    let found = php::gettype(value);
    let type_ok = match (&variable.php_type, found) {
        (_, None) => false,
        (Some(expected), Some(found)) if expected != found => {
            let message = format!(
                "`{name}` must be {}, found {}{}",
                php::type_in_words(expected),
                php::type_in_words(found),
                Scalar::of(value).map_or_else(String::new, |s| format!(": {}", s.shown()))
            );
            out.push(finding(
                Problem::WrongType,
                message,
                type_hint(expected, value),
            ));
            false
        }
        _ => true,
    };
    if !variable.stages.iter().any(|s| s == stage) {
        let (message, help) = wrong_stage(variable, stage, known_stage);
        out.push(finding(Problem::UnknownKey, message, help));
    }
    if type_ok {
        match value_problem(variable, value) {
            Some(Outcome::Refused(message, help)) => {
                out.push(finding(Problem::InvalidValue, message, help))
            }
            Some(Outcome::Crash(message)) => out.push(EnvFinding {
                problem: Problem::InvalidValue,
                span: key_span(entry),
                pointer,
                message: format!(
                    "{message}: ece-tools stops the build with a PHP error comparing it"
                ),
                help: None,
                code: None,
                severity: None,
            }),
            None => {}
        }
    }
}

/// A value a validator refuses (ece-tools 10), or one it cannot even compare.
enum Outcome {
    Refused(String, Option<String>),
    Crash(String),
}

fn unknown_variable(choice: &Choice, name: &str) -> (String, Option<String>) {
    let schema = choice.schema();
    let pinned = choice.describe();
    // Known to another release: say which, so the fix is an upgrade or a removal.
    let other = schema.variable(name).or_else(|| {
        (!choice.is_installed())
            .then(|| newest().variable(name))
            .flatten()
    });
    if let Some(other) = other {
        let (when, fix) = match (other.since, other.removed) {
            (_, Some(removed)) if choice.at.is_none_or(|at| at >= removed) => (
                format!("ece-tools {removed} removed it"),
                "delete the variable",
            ),
            (Some(since), _) => (
                format!("it arrived in ece-tools {since}"),
                "upgrade magento/ece-tools or delete the variable",
            ),
            _ => (
                "a newer ece-tools has it".to_string(),
                "upgrade magento/ece-tools or delete the variable",
            ),
        };
        return (
            format!("`{name}` is not a variable of {pinned}: {when}"),
            Some(format!("{}: {fix}", choice.reason)),
        );
    }
    let known: Vec<String> = schema
        .variables
        .iter()
        .filter(|v| v.exists_at(choice.at) && !v.stages.is_empty())
        .map(|v| v.name.clone())
        .collect();
    let mut message = format!("`{name}` is not an ece-tools variable");
    if let Some(suggestion) = crate::schema::suggestion(name, &known) {
        message.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    (
        message,
        Some(format!(
            "checked with {pinned} ({}); `magelint schema magento-env-yaml` lists the variables",
            choice.reason
        )),
    )
}

fn wrong_stage(variable: &Variable, stage: &str, known_stage: bool) -> (String, Option<String>) {
    let name = &variable.name;
    if variable.stages.is_empty() {
        return (
            format!("`{name}` is no stage variable"),
            Some(format!(
                "write it under `system.variables`, not under `stage.{stage}`"
            )),
        );
    }
    let belongs = variable.stages.join(", ");
    let mut message = match known_stage {
        true => format!("`{name}` is not allowed in stage `{stage}`; it belongs to {belongs}"),
        false => format!(
            "`{name}` is in `{stage}`, which is not a stage ({}); it belongs to {belongs}",
            STAGES.join(", ")
        ),
    };
    if !known_stage {
        if let Some(suggestion) = stage_suggestion(stage) {
            message.push_str(&format!("; did you mean `{suggestion}`?"));
        }
    }
    let targets: Vec<String> = variable
        .stages
        .iter()
        .map(|s| format!("`stage.{s}`"))
        .collect();
    (
        message,
        Some(format!("move it under {}", targets.join(" or "))),
    )
}

fn stage_suggestion(name: &str) -> Option<String> {
    let stages: Vec<String> = STAGES.iter().map(|s| s.to_string()).collect();
    crate::schema::suggestion(name, &stages)
}

/// What to write instead of a value of the wrong type.
fn type_hint(expected: &str, value: &Value) -> Option<String> {
    Some(match (expected, value) {
        (_, Value::Null) => "give it a value or delete the line: an empty value is null".into(),
        ("integer", Value::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!(
            "write {}: a number with a decimal point, an exponent or a leading `+` is a float as ece-tools reads YAML",
            *f as i64
        ),
        ("integer", Value::String(s)) if s.trim().parse::<i64>().is_ok() => {
            format!("write {} without quotes", s.trim())
        }
        ("boolean", Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" | "false" => format!("write {} without quotes", s.to_ascii_lowercase()),
            "yes" | "no" | "on" | "off" | "y" | "n" => {
                format!("write true or false: ece-tools reads `{s}` as a string")
            }
            _ => "write true or false".into(),
        },
        ("boolean", Value::Int(_) | Value::Float(_)) => "write true or false".into(),
        ("string", Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            let text = Scalar::of(value).map(|s| s.shown()).unwrap_or_default();
            format!("quote it: '{text}'")
        }
        ("array", _) => "write a list (`- item`) or a map".into(),
        _ => return None,
    })
}

/// The first value check that fails, in ece-tools' order: validators, then allowed values.
fn value_problem(variable: &Variable, value: &Value) -> Option<Outcome> {
    let name = &variable.name;
    for check in &variable.checks {
        match check {
            ValueCheck::Range { from, to } => {
                let number = match value {
                    Value::Int(i) => *i as f64,
                    Value::Float(f) => *f,
                    _ => continue,
                };
                if number < *from as f64 || number > *to as f64 {
                    let shown = Scalar::of(value).map(|s| s.shown()).unwrap_or_default();
                    return Some(Outcome::Refused(
                        format!("`{name}` is {shown} but must be an integer from {from} to {to}"),
                        None,
                    ));
                }
            }
            ValueCheck::SplitDb { values } => {
                let items = value.entries().iter().map(|e| &e.value.value);
                // `array_diff` compares string casts: an array in the list is a PHP warning,
                // which ece-tools turns into an exception.
                if items.clone().any(|v| matches!(v, Value::Array { .. })) {
                    return Some(Outcome::Crash(format!(
                        "`{name}` must list values, found a nested list"
                    )));
                }
                let stray = items
                    .filter_map(Scalar::of)
                    .find_map(|s| (!values.contains(&s.cast_to_string())).then(|| s.shown()));
                if let Some(stray) = stray {
                    return Some(Outcome::Refused(
                        format!(
                            "`{name}` may list only {}; found {stray}",
                            values.join(", ")
                        ),
                        Some(format!("write e.g. `{name}: [{}]`", values.join(", "))),
                    ));
                }
            }
            ValueCheck::Other(_) => {}
        }
    }
    let Allowed::Values(allowed) = &variable.allowed else {
        return None;
    };
    let scalar = Scalar::of(value)?;
    if allowed.iter().any(|a| php::loose_eq(a, &scalar)) {
        return None;
    }
    let listed: Vec<String> = allowed.iter().map(Scalar::shown).collect();
    let message = format!(
        "`{name}` is {} but must be one of {}",
        scalar.shown(),
        listed.join(", ")
    );
    let help = match &scalar {
        Scalar::Str(s) if s.is_empty() => Some(
            "`''` is only the variable's default (ece-tools then decides), not a value to write: delete the line to keep the default".to_string(),
        ),
        Scalar::Str(s) => allowed
            .iter()
            .find(|a| matches!(a, Scalar::Str(t) if t.eq_ignore_ascii_case(s)))
            .map(|a| format!("did you mean {}? Values are case-sensitive", a.shown())),
        _ => None,
    };
    Some(Outcome::Refused(message, help))
}
