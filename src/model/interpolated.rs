//! A Docker Compose value that is one variable (`${NAME}`), read from the project's `.env`.

use super::Fleet;
use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::syntax::{Node, Value};

/// A compose file's value that is one variable (`${NAME}`, `$NAME`, `${NAME:-default}`), read
/// from the project's `.env` (the env file beside the compose file, which compose reads for
/// interpolation) when that file is one of the site's and gives NAME a literal: that value, in
/// that file, with where NAME is written there (its pointer `/NAME`). The shell compose runs in
/// may still set NAME; the committed default is what magelint can read.
pub(super) fn interpolated<'a>(
    fleet: &Fleet<'a>,
    site: &super::Site,
    file: FileId,
    node: &'a Node,
) -> Option<(FileId, &'a Node, Location)> {
    let Value::Dynamic(source) = &node.value else {
        return None;
    };
    let files: &'a [crate::run::SourceFile] = fleet.files;
    if !matches!(files[file].source.kind, FileKind::DockerCompose { .. }) {
        return None;
    }
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| source.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(source);
    let name = single_variable(unquoted)?;
    let dir = files[file].source.path.parent();
    let project_env = site.environment.iter().copied().find(|&id| {
        files[id].source.kind == FileKind::DotEnv { variant: None }
            && files[id].source.path.parent() == dir
    })?;
    let entry = files[project_env].facts.as_ref()?.root.entry(name)?;
    let key = entry.key_span.get().unwrap_or(entry.value.span);
    let key = Location::new(project_env, key).with_pointer(super::pointer::joined(&["/", name]));
    matches!(entry.value.value, Value::String(_)).then_some((project_env, &entry.value, key))
}

/// The variable name when `text` is exactly one interpolation: `$NAME`, `${NAME}` or
/// `${NAME<op>word}`.
fn single_variable(text: &str) -> Option<&str> {
    let name_end = |s: &str| {
        s.find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
            .unwrap_or(s.len())
    };
    if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        let end = name_end(inner);
        let rest = &inner[end..];
        let operator = rest.is_empty()
            || [":-", "-", ":?", "?", ":+", "+"]
                .iter()
                .any(|op| rest.starts_with(op));
        // One level: `${A:-${B}}` and `${A}${B}` are more than one variable.
        return (end > 0 && operator && !rest.contains('$') && !rest.contains('{'))
            .then_some(&inner[..end]);
    }
    let name = text.strip_prefix('$')?;
    (!name.is_empty() && name_end(name) == name.len()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::single_variable;

    #[test]
    fn one_interpolation_names_its_variable() {
        for (text, expected) in [
            ("$SAAS_API_KEY", Some("SAAS_API_KEY")),
            ("${SAAS_API_KEY}", Some("SAAS_API_KEY")),
            ("${SAAS_API_KEY:-default}", Some("SAAS_API_KEY")),
            ("${SAAS_API_KEY?required}", Some("SAAS_API_KEY")),
            // Not one variable: nothing, a word after it, two of them, a nested default.
            ("${}", None),
            ("$", None),
            ("${SAAS.API_KEY}", None),
            ("$SAAS_API_KEY-suffix", None),
            ("${A}${B}", None),
            ("${A:-${B}}", None),
            ("${A:-{b}", None),
            ("literal", None),
        ] {
            assert_eq!(single_variable(text), expected, "{text}");
        }
    }
}
