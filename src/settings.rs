//! The run settings of `.magelint.yaml` (select, ignore, severity, fail-on, exclude,
//! per-file-ignores, baseline), read with positions so a bad setting is reported where it is written.

use crate::diagnostic::Severity;
use crate::suppress::PathIgnore;
use crate::syntax::{Document, Limits, LineIndex, Node, Span, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A problem in the configuration file: magelint cannot run as asked (exit 2).
#[derive(Clone, Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Settings from one `.magelint.yaml`.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The file they came from.
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_on: Option<Severity>,
    pub exclude: Option<globset::GlobSet>,
    pub per_file_ignores: Vec<PathIgnore>,
    /// `baseline: FILE`, relative to the configuration file's directory.
    pub baseline: Option<PathBuf>,
}

/// The nearest `.magelint.yaml` (or `.yml`) in `start` or above it.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let dir = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    dir.into_iter().flat_map(Path::ancestors).find_map(|d| {
        [".magelint.yaml", ".magelint.yml"]
            .iter()
            .map(|n| d.join(n))
            .find(|p| p.is_file())
    })
}

/// Reads the settings of the config file at `path`; `display_dir` is its directory as printed
/// paths show it (globs are relative to it).
pub fn load(path: &Path, display_dir: &str) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!("cannot read the configuration: {e}"),
    })?;
    let lines = LineIndex::new(&text);
    let error = |span: Span, message: String| {
        let at = lines.position(&text, span.start);
        ConfigError {
            path: path.to_path_buf(),
            line: at.line,
            column: at.column,
            message,
        }
    };
    let document = crate::syntax::yaml::parse(&text, &Limits::default())
        .map_err(|e| error(e.span, e.message))?;
    read(&document, display_dir)
        .map(|mut s| {
            s.path = Some(path.to_path_buf());
            s
        })
        .map_err(|(span, message)| error(span, message))
}

/// `load` for a run whose paths print relative to `base_dir` (globs are relative to the
/// configuration's directory as printed).
pub fn load_for_run(path: &Path, base_dir: &Path) -> Result<Settings, ConfigError> {
    let dir = path
        .parent()
        .map(|d| crate::discover::display_path(d, base_dir))
        .unwrap_or_default();
    load(path, if dir == "." { "" } else { &dir })
}

type Invalid = (Span, String);

fn read(document: &Document, display_dir: &str) -> Result<Settings, Invalid> {
    let root = &document.root;
    let mut settings = Settings::default();
    match &root.value {
        Value::Array { .. } => {}
        Value::Null => return Ok(settings),
        other => {
            return Err((
                root.span,
                format!(
                    "the configuration must be a mapping, found {}",
                    other.type_name()
                ),
            ))
        }
    }
    settings.select = codes(root.get("select"), "select")?;
    settings.ignore = codes(root.get("ignore"), "ignore")?;
    if let Some(node) = root.get("severity") {
        for entry in mapping(node, "severity")? {
            let code = entry.key.to_string().to_ascii_uppercase();
            let level = text(&entry.value).and_then(|t| Severity::parse(&t));
            let Some(level) = level else {
                return Err((
                    entry.value.span,
                    format!("severity of {code} must be error, warning or info"),
                ));
            };
            known_selector(&code, entry.key_span.get().unwrap_or(entry.value.span))?;
            settings.severity.insert(code, level);
        }
    }
    if let Some(node) = root.get("fail-on") {
        let level = text(node).and_then(|t| Severity::parse(&t));
        settings.fail_on = Some(level.ok_or((
            node.span,
            "fail-on must be error, warning or info".to_string(),
        ))?);
    }
    if let Some(node) = root.get("exclude") {
        let mut builder = globset::GlobSetBuilder::new();
        for item in list(node, "exclude")? {
            let pattern =
                text(item).ok_or((item.span, "exclude patterns must be strings".to_string()))?;
            builder.add(glob(&pattern, item.span)?);
        }
        settings.exclude = Some(builder.build().map_err(|e| (node.span, e.to_string()))?);
    }
    if let Some(node) = root.get("baseline") {
        let path = text(node)
            .filter(|t| !t.is_empty())
            .ok_or((node.span, "baseline must be a file path".to_string()))?;
        settings.baseline = Some(PathBuf::from(path));
    }
    if let Some(node) = root.get("per-file-ignores") {
        for entry in mapping(node, "per-file-ignores")? {
            let key_span = entry.key_span.get().unwrap_or(entry.value.span);
            let key = entry.key.to_string();
            let (pattern, pointer) = match key.split_once('#') {
                Some((p, pointer)) if pointer.starts_with('/') => {
                    (p.to_string(), Some(pointer.to_string()))
                }
                Some(_) => {
                    return Err((
                        key_span,
                        "after `#` comes a JSON Pointer starting with `/`".into(),
                    ))
                }
                None => (key, None),
            };
            settings.per_file_ignores.push(PathIgnore {
                matcher: glob(&pattern, key_span)?.compile_matcher(),
                pointer,
                codes: codes(Some(&entry.value), "per-file-ignores")?,
                base: display_dir.to_string(),
            });
        }
    }
    Ok(settings)
}

/// What a front end takes from its `.magelint.yaml`: the selection, excludes, per-file
/// ignores and the baseline (its path relative to the configuration file). The command line
/// may then override parts of it.
pub fn apply(options: &mut crate::options::LintOptions, settings: &Settings) -> Result<(), String> {
    let config = settings
        .path
        .as_deref()
        .unwrap_or(Path::new(".magelint.yaml"));
    let config_dir = config.parent().unwrap_or(Path::new(""));
    let dir = crate::discover::display_path(config_dir, &options.base_dir);
    let dir = if dir == "." { String::new() } else { dir };
    options.selection = crate::select::Selection {
        select: settings.select.clone(),
        ignore: settings.ignore.clone(),
        severity: settings.severity.clone(),
    };
    if let Some(globs) = &settings.exclude {
        options.exclude.push(crate::options::Exclude {
            globs: globs.clone(),
            base: dir,
        });
    }
    options.path_ignores = settings.per_file_ignores.clone();
    if let Some(baseline) = &settings.baseline {
        let loaded = crate::baseline::load(&config_dir.join(baseline), &options.base_dir)?;
        options.baseline = Some(std::sync::Arc::new(loaded));
    }
    Ok(())
}

fn glob(pattern: &str, span: Span) -> Result<globset::Glob, Invalid> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| (span, format!("invalid glob `{pattern}`: {}", e.kind())))
}

fn text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.to_string()),
        _ => None,
    }
}

fn list<'a>(node: &'a Node, what: &str) -> Result<Vec<&'a Node>, Invalid> {
    match &node.value {
        Value::Array { entries, .. } if node.value.is_list() => {
            Ok(entries.iter().map(|e| &e.value).collect())
        }
        Value::String(_) => Ok(vec![node]),
        _ => Err((node.span, format!("{what} must be a list"))),
    }
}

fn mapping<'a>(node: &'a Node, what: &str) -> Result<&'a [crate::syntax::Entry], Invalid> {
    match &node.value {
        Value::Array { entries, .. } if !node.value.is_list() || entries.is_empty() => Ok(entries),
        _ => Err((node.span, format!("{what} must be a mapping"))),
    }
}

fn codes(node: Option<&Node>, what: &str) -> Result<Vec<String>, Invalid> {
    let Some(node) = node else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in list(node, what)? {
        let code = text(item).ok_or((item.span, format!("{what} entries must be rule codes")))?;
        let code = code.trim().to_ascii_uppercase();
        known_selector(&code, item.span)?;
        out.push(code);
    }
    Ok(out)
}

fn known_selector(code: &str, span: Span) -> Result<(), Invalid> {
    let known = code == "ALL"
        || crate::rules::RULES
            .iter()
            .any(|r| r.meta.code.starts_with(code));
    if known {
        Ok(())
    } else {
        Err((
            span,
            format!("unknown rule code `{code}`; `magelint rules` lists them"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(yaml: &str) -> Result<Settings, Invalid> {
        let document = crate::syntax::yaml::parse(yaml, &Limits::default()).expect("yaml");
        read(&document, "repo")
    }

    #[test]
    fn reads_every_setting() {
        let s = settings("select: [MS, mg003]\nignore: MG008\nseverity: {MS013: error}\nfail-on: warning\nexclude: ['legacy/**']\nbaseline: ci/magelint-baseline.json\nper-file-ignores:\n  'sandbox/**': [MS008]\n  'app/etc/env.php#/system/default/services_connector': [MS]\n").expect("valid");
        assert_eq!(s.select, vec!["MS", "MG003"]);
        assert_eq!(s.ignore, vec!["MG008"]);
        assert_eq!(s.severity.get("MS013"), Some(&Severity::Error));
        assert_eq!(s.fail_on, Some(Severity::Warning));
        assert_eq!(s.baseline, Some(PathBuf::from("ci/magelint-baseline.json")));
        assert!(s
            .exclude
            .as_ref()
            .is_some_and(|e| e.is_match("legacy/a/app/etc/env.php")));
        assert_eq!(s.per_file_ignores.len(), 2);
        assert_eq!(
            s.per_file_ignores[1].pointer.as_deref(),
            Some("/system/default/services_connector")
        );
    }

    #[test]
    fn reports_bad_settings_at_their_position() {
        let yaml = "select: [MS]\nfail-on: sometimes\n";
        let (span, message) = settings(yaml).expect_err("invalid");
        assert_eq!(&yaml[span.range()], "sometimes");
        assert!(message.contains("fail-on"));
        let (span, message) = settings("ignore: [XX1]\n").expect_err("invalid");
        assert_eq!(span.start, 9);
        assert!(message.contains("unknown rule code `XX1`"));
    }
}
