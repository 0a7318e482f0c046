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
use crate::model::key_material::is_placeholder;
use crate::syntax::{Document, Span, Value};
use serde_json::Value as Json;
use std::sync::OnceLock;

mod message;
use message::describe;
pub(crate) use message::suggestion;
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
        // A placeholder (`{{ mode }}`, `__MODE__`) is filled in at deploy time, so its value is
        // as unknown as a `getenv()`.
        let placeholder =
            matches!(error.instance().as_ref(), Json::String(text) if is_placeholder(text));
        if placeholder || lands_on_dynamic(document, &path) {
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
