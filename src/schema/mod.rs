//! Bundled JSON Schemas (draft 2020-12, `schemas/`), compiled once, and the validation that
//! turns their errors into SCH001-SCH004 diagnostics.
//!
//! A document is converted to JSON in `json_encode` shape (`syntax::dump::to_json`); errors whose
//! instance lands on or under a dynamic value (`getenv()`, `$_ENV[..]`...) are dropped, since
//! such a value is never known statically.
//!
//! Most files are valid, so `fast` first walks the parsed tree with a conservative validator of
//! its own; only when that cannot vouch for the file does the exact path above run, so the
//! findings are always the exact path's.

use crate::diagnostic::{FileId, Location, Severity};
use crate::discover::FileKind;
use crate::syntax::{Document, Span, Value};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value as Json;
use std::sync::OnceLock;

mod fast;
mod problem;

pub use problem::Problem;

/// Every bundled schema: file name without `.schema.json` → text.
pub const SCHEMAS: &[(&str, &str)] = &[
    (
        "config-php",
        include_str!("../../schemas/config-php.schema.json"),
    ),
    ("env-php", include_str!("../../schemas/env-php.schema.json")),
    (
        "magelint-config",
        include_str!("../../schemas/magelint-config.schema.json"),
    ),
    // The shape of `map --format json` output (not applied to any file).
    (
        "magelint-map",
        include_str!("../../schemas/magelint-map.schema.json"),
    ),
    // The shape of `--format json` output (not applied to any file).
    (
        "magelint-output",
        include_str!("../../schemas/magelint-output.schema.json"),
    ),
    (
        "magento-app-yaml",
        include_str!("../../schemas/magento-app-yaml.schema.json"),
    ),
    (
        "magento-env-yaml",
        include_str!("../../schemas/magento-env-yaml.schema.json"),
    ),
    (
        "magento-routes-yaml",
        include_str!("../../schemas/magento-routes-yaml.schema.json"),
    ),
    (
        "magento-services-yaml",
        include_str!("../../schemas/magento-services-yaml.schema.json"),
    ),
];

/// The text of a bundled schema.
pub fn text(name: &str) -> Option<&'static str> {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The schema that applies to a kind of file, if any.
pub fn for_kind(kind: &FileKind) -> Option<&'static str> {
    Some(match kind {
        FileKind::ConfigPhp => "config-php",
        FileKind::EnvPhp { .. } | FileKind::Template => "env-php",
        FileKind::MagentoEnvYaml => "magento-env-yaml",
        FileKind::MagentoAppYaml => "magento-app-yaml",
        FileKind::ServicesYaml => "magento-services-yaml",
        FileKind::RoutesYaml => "magento-routes-yaml",
        FileKind::MagelintConfig => "magelint-config",
        FileKind::ComposerJson
        | FileKind::ComposerLock
        | FileKind::ErrorsLocalXml
        | FileKind::BuildOptionsIni
        | FileKind::DockerCompose { .. }
        | FileKind::DotEnv { .. }
        | FileKind::Nginx { .. }
        | FileKind::Footprint
        | FileKind::Other => return None,
    })
}

struct Compiled {
    schema: Json,
    /// The exact validator, compiled only when a file needs it: compiling costs more than
    /// validating a thousand valid files with the fast path.
    validator: OnceLock<Option<jsonschema::Validator>>,
    /// `None` when the schema uses something the fast path does not handle exactly.
    fast: Option<fast::Fast>,
}

impl Compiled {
    fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| jsonschema::draft202012::new(&self.schema).ok())
            .as_ref()
    }
}

/// The schemas, each parsed and compiled once, on first use (a run over YAML files alone never
/// compiles the PHP schemas). A bundled schema that fails to compile is a bug caught by the
/// tests; it is then simply absent.
static COMPILED: [OnceLock<Option<Compiled>>; SCHEMAS.len()] =
    [const { OnceLock::new() }; SCHEMAS.len()];

fn compiled(name: &str) -> Option<&'static Compiled> {
    let index = SCHEMAS.iter().position(|(n, _)| *n == name)?;
    COMPILED[index]
        .get_or_init(|| {
            let schema: Json = serde_json::from_str(SCHEMAS[index].1).ok()?;
            let fast = fast::Fast::compile(&schema);
            Some(Compiled {
                schema,
                validator: OnceLock::new(),
                fast,
            })
        })
        .as_ref()
}

/// Whether every bundled schema parses and compiles (for tests).
pub fn all_compile() -> Result<(), String> {
    for (name, text) in SCHEMAS {
        let schema: Json = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        jsonschema::draft202012::new(&schema).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// One raw schema error: the instance pointer as the validator reports it and our finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Problem,
    /// JSON Pointer of the value the validator complained about (the parent object for
    /// `required` / `additionalProperties`).
    pub instance_path: String,
    /// JSON Pointer of what the diagnostic points at (the key, for key errors).
    pub pointer: String,
    pub message: String,
    pub help: Option<String>,
    pub severity: Option<Severity>,
}

/// Validates a document against a bundled schema; findings on dynamic values are dropped.
/// A document the fast path vouches for has none, and is never converted to JSON.
pub fn validate(schema_name: &str, document: &Document) -> Vec<Finding> {
    match compiled(schema_name) {
        Some(compiled)
            if compiled
                .fast
                .as_ref()
                .is_some_and(|f| f.certainly_valid(document)) =>
        {
            Vec::new()
        }
        Some(compiled) => validate_exactly(compiled, document),
        None => Vec::new(),
    }
}

/// The fast path's verdict alone: `Some(true)` when it vouches that `validate` finds nothing,
/// `Some(false)` when it defers to the exact path, `None` when the schema has no fast
/// validator (or does not exist). For the differential tests.
#[doc(hidden)]
pub fn fast_verdict(schema_name: &str, document: &Document) -> Option<bool> {
    let fast = compiled(schema_name)?.fast.as_ref()?;
    Some(fast.certainly_valid(document))
}

/// `validate` without the fast path (for the differential tests).
#[doc(hidden)]
pub fn validate_exact(schema_name: &str, document: &Document) -> Vec<Finding> {
    compiled(schema_name).map_or_else(Vec::new, |c| validate_exactly(c, document))
}

/// The exact path: the document as JSON through `jsonschema`, each error described.
fn validate_exactly(compiled: &Compiled, document: &Document) -> Vec<Finding> {
    let Some(validator) = compiled.validator() else {
        return Vec::new();
    };
    let instance = crate::syntax::dump::to_json(&document.root);
    let mut findings = Vec::new();
    for error in validator.iter_errors(&instance) {
        let path = error.instance_path().as_str().to_string();
        if lands_on_dynamic(document, &path) {
            continue;
        }
        findings.extend(describe(
            &compiled.schema,
            &path,
            error.kind(),
            error.instance(),
        ));
    }
    findings
}

/// A schema finding placed in its file, ready to become its rule's diagnostic.
#[derive(Clone, Debug)]
pub struct Located {
    pub problem: Problem,
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    /// A severity other than the rule's default (a deprecated value is a warning).
    pub severity: Option<Severity>,
}

/// Validates a file and returns its schema findings (all four problems), placed.
pub fn diagnose(id: FileId, kind: &FileKind, document: &Document) -> Vec<Located> {
    let Some(name) = for_kind(kind) else {
        return Vec::new();
    };
    // A PHP config that returns no array is E002's finding, not a schema one.
    if kind.is_deployment_config()
        && (document.no_return || !matches!(document.root.value, Value::Array { .. }))
    {
        return Vec::new();
    }
    let mut findings = validate(name, document);
    // `.magento.env.yaml` variables are checked against the ece-tools release of their project
    // (check::env_yaml), which this file alone does not tell: the bundled JSON Schema (the
    // newest release's) checks the rest of the file only.
    if *kind == FileKind::MagentoEnvYaml {
        findings.retain(|f| f.instance_path != "/stage" && !f.instance_path.starts_with("/stage/"));
    }
    // Locating a finding scans its parent's entries, so a file with tens of thousands of
    // unknown keys would cost quadratic time; past this many, one summary stands for the rest.
    let hidden = findings.len().saturating_sub(MAX_FINDINGS_PER_FILE);
    let summary = findings
        .get(MAX_FINDINGS_PER_FILE)
        .map(|first_hidden| Located {
            problem: first_hidden.code,
            location: Location::new(id, document.root.span),
            message: format!("{hidden} more schema findings in this file are not shown (the first {MAX_FINDINGS_PER_FILE} are)"),
            help: None,
            severity: None,
        });
    findings.truncate(MAX_FINDINGS_PER_FILE);
    findings
        .into_iter()
        .map(|f| {
            let span = span_of(document, &f.pointer);
            Located {
                problem: f.code,
                location: Location::new(id, span).with_pointer(f.pointer),
                message: f.message,
                help: f.help,
                severity: f.severity,
            }
        })
        .chain(summary)
        .collect()
}

/// Schema findings reported per file before the rest are summarised.
pub const MAX_FINDINGS_PER_FILE: usize = 200;

/// The key span when the pointer ends at a written key, else the value span; the nearest
/// ancestor that exists otherwise.
fn span_of(document: &Document, pointer: &str) -> Span {
    let mut p = pointer;
    loop {
        if let Some((key, node)) = document.locate(p) {
            return key.unwrap_or(node.span);
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return document.root.span,
        }
    }
}

fn lands_on_dynamic(document: &Document, path: &str) -> bool {
    if matches!(document.root.value, Value::Dynamic(_)) {
        return true;
    }
    // Whether any prefix of the pointer locates a dynamic value: one walk down from the root
    // visits the nodes each prefix locates (`Document::locate` follows the same steps), so no
    // prefix is located again from the root.
    let mut node = &document.root;
    for token in path.split('/').skip(1) {
        match node.entry(&unescape(token)) {
            Some(entry) if matches!(entry.value.value, Value::Dynamic(_)) => return true,
            Some(entry) => node = &entry.value,
            None => return false,
        }
    }
    false
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// RFC 6901 unescaping (`~1` first, then `~0`); a token without `~` is not copied.
fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

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

fn describe(
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
