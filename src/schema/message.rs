//! Turns a schema error into a finding a developer can act on: the key, the expected and found
//! types, the allowed values or bounds, a close key name for a typo.

use super::{escape, unescape, Finding, Problem};
use crate::diagnostic::Severity;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value as Json;

fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn show(value: &Json) -> String {
    match value {
        Json::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// The last key of a pointer, for messages (`(root)` at the top).
fn key_name(pointer: &str) -> String {
    match pointer.rsplit_once('/') {
        Some((_, last)) => unescape(last).into_owned(),
        None => "(root)".into(),
    }
}

/// The schema object that describes the instance at `path` (following `properties`,
/// `additionalProperties`, `items` and `$ref` into `$defs`), for stage lookups and key lists.
fn schema_at<'a>(root: &'a Json, path: &str) -> Option<&'a Json> {
    let mut node = deref(root, root);
    for token in path.split('/').skip(1) {
        let key = unescape(token);
        node = match node.get("properties").and_then(|p| p.get(&*key)) {
            Some(s) => deref(root, s),
            None => match node
                .get("additionalProperties")
                .or_else(|| node.get("items"))
            {
                Some(s) if s.is_object() => deref(root, s),
                _ => return None,
            },
        };
    }
    Some(node)
}

fn deref<'a>(root: &'a Json, node: &'a Json) -> &'a Json {
    match node.get("$ref").and_then(Json::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .unwrap_or(node),
        None => node,
    }
}

/// The known keys at `path`, for "did you mean".
fn known_keys(root: &Json, path: &str) -> Vec<String> {
    schema_at(root, path)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Levenshtein distance (case-insensitive), for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The known name closest to `unknown`, if one is close enough to be a misspelling of it.
pub(crate) fn suggestion(unknown: &str, known: &[String]) -> Option<String> {
    let limit = (unknown.chars().count() / 3).clamp(1, 4);
    known
        .iter()
        .map(|k| (distance(unknown, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k.clone())
}

/// For .magento.env.yaml: the stages whose schema lists `variable`.
fn stages_of(root: &Json, variable: &str) -> Vec<String> {
    root.pointer("/properties/stage/properties")
        .and_then(Json::as_object)
        .map(|stages| {
            stages
                .iter()
                .filter(|(_, s)| {
                    s.pointer(&format!("/properties/{}", escape(variable)))
                        .is_some()
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn finding(code: Problem, path: &str, pointer: String, message: String) -> Finding {
    Finding {
        code,
        instance_path: path.to_string(),
        pointer,
        message,
        help: None,
        severity: None,
    }
}

pub(super) fn describe(
    schema: &Json,
    path: &str,
    kind: &ValidationErrorKind,
    instance: &Json,
) -> Vec<Finding> {
    let at = key_name(path);
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|key| unknown_key(schema, path, key))
            .collect(),
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), String::from);
            vec![finding(
                Problem::MissingKey,
                path,
                path.to_string(),
                format!("`{at}` lacks the required key `{name}`"),
            )]
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set.into_iter().map(|t| t.to_string()).collect();
                    names.join(" or ")
                }
            };
            vec![finding(
                Problem::WrongType,
                path,
                path.to_string(),
                format!("`{at}` must be {expected}, found {}", json_type(instance)),
            )]
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|o| o.iter().map(show).collect())
                .unwrap_or_default();
            vec![finding(
                Problem::InvalidValue,
                path,
                path.to_string(),
                format!(
                    "`{at}` is {}; allowed: {}",
                    show(instance),
                    allowed.join(", ")
                ),
            )]
        }
        ValidationErrorKind::Constant { expected_value } => vec![finding(
            Problem::InvalidValue,
            path,
            path.to_string(),
            format!(
                "`{at}` is {}; expected {}",
                show(instance),
                show(expected_value)
            ),
        )],
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let bounds = range_text(schema, path).unwrap_or_else(|| format!("limit {limit}"));
            vec![finding(
                Problem::InvalidValue,
                path,
                path.to_string(),
                format!("`{at}` is {} but must be within {bounds}", show(instance)),
            )]
        }
        ValidationErrorKind::Pattern { pattern } => vec![finding(
            Problem::InvalidValue,
            path,
            path.to_string(),
            format!(
                "`{at}` is {}, which is not {}",
                show(instance),
                pattern_description(schema, path)
                    .unwrap_or_else(|| format!("of the form `{pattern}`"))
            ),
        )],
        ValidationErrorKind::MaxItems { limit: 0 } => vec![finding(
            Problem::WrongType,
            path,
            path.to_string(),
            format!("`{at}` must be a map, found a list"),
        )],
        ValidationErrorKind::PropertyNames { error } => {
            let key = error.instance().as_str().unwrap_or_default().to_string();
            let mut pointer = path.to_string();
            pointer.push('/');
            pointer.push_str(&escape(&key));
            vec![finding(
                Problem::InvalidValue,
                path,
                pointer,
                format!("key `{key}` is not a valid name here ({error})"),
            )]
        }
        ValidationErrorKind::FalseSchema => vec![finding(
            Problem::UnknownKey,
            path,
            path.to_string(),
            format!("`{at}` is not allowed here"),
        )],
        other => vec![finding(
            Problem::InvalidValue,
            path,
            path.to_string(),
            format!("`{at}` is invalid ({} failed)", other.keyword()),
        )],
    }
}

fn unknown_key(schema: &Json, path: &str, key: &str) -> Finding {
    let mut pointer = path.to_string();
    pointer.push('/');
    pointer.push_str(&escape(key));
    // A known ece-tools variable in the wrong stage is an error naming its stages.
    if let Some(stage) = path.strip_prefix("/stage/") {
        let stages = stages_of(schema, key);
        if !stages.is_empty() && !stage.contains('/') {
            let mut f = finding(
                Problem::UnknownKey,
                path,
                pointer,
                format!(
                    "`{key}` is not allowed in stage `{}`; it belongs to {}",
                    unescape(stage),
                    stages.join(", ")
                ),
            );
            f.severity = Some(Severity::Error);
            f.help = Some(format!("move it under `stage.{}`", stages[0]));
            return f;
        }
    }
    let known = known_keys(schema, path);
    let mut f = finding(
        Problem::UnknownKey,
        path,
        pointer,
        format!("unknown key `{key}`"),
    );
    if let Some(s) = suggestion(key, &known) {
        f.message.push_str(&format!("; did you mean {s}?"));
    } else if !known.is_empty() && known.len() <= 12 {
        f.help = Some(format!("known keys here: {}", known.join(", ")));
    }
    f
}

fn range_text(schema: &Json, path: &str) -> Option<String> {
    let s = schema_at(schema, path)?;
    let min = s.get("minimum").map(Json::to_string);
    let max = s.get("maximum").map(Json::to_string);
    Some(match (min, max) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => return None,
    })
}

fn pattern_description(schema: &Json, path: &str) -> Option<String> {
    schema_at(schema, path)?
        .get("description")
        .and_then(Json::as_str)
        .map(|d| format!("of the expected form ({})", d.trim_end_matches('.')))
}
