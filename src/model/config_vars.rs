//! `CONFIG__<SCOPE>__<PATH>` environment variables, decoded the way Magento does.
//!
//! Magento strips `CONFIG__`, replaces **every** `__` with `/` and lower-cases the whole name
//! (magento/magento2 `Config/Model/Placeholder/Environment.php`; Adobe Configuration guide
//! "Override configuration settings").

use super::pointer::joined;
use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::syntax::{Entry, Node, Value};
use compact_str::CompactString;

/// The scope a CONFIG__ variable targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigVariableScope {
    Default,
    Websites(String),
    Stores(String),
    /// A scope word Magento does not know (e.g. `CONFIG__WEBSITE__…`).
    Unknown(String),
}

/// One CONFIG__ variable: of .magento.app.yaml `variables.env`, or of a deployment's process
/// environment (a compose file, a Docker env file, nginx `fastcgi_param`).
#[derive(Clone, Debug)]
pub struct ConfigVariable {
    /// The name as written.
    pub name: String,
    pub scope: ConfigVariableScope,
    /// The config path, lower-cased, `/`-separated (`web/secure/base_url`).
    pub path: String,
    /// Where the name is written.
    pub location: Location,
}

impl ConfigVariable {
    /// Decodes `name`; `None` when it is not a CONFIG__ variable at all.
    pub fn parse(name: &str, location: Location) -> Option<ConfigVariable> {
        let rest = name.strip_prefix("CONFIG__")?;
        let restored = restore(rest);
        let mut segments = restored.splitn(2, '/');
        let word = segments.next().unwrap_or("");
        let tail = segments.next().unwrap_or("");
        let (scope, path) = match word {
            "default" => (ConfigVariableScope::Default, tail.to_string()),
            "websites" | "stores" => {
                let (code, path) = tail.split_once('/').unwrap_or((tail, ""));
                let code = code.to_string();
                let scope = if word == "websites" {
                    ConfigVariableScope::Websites(code)
                } else {
                    ConfigVariableScope::Stores(code)
                };
                (scope, path.to_string())
            }
            other => (
                ConfigVariableScope::Unknown(other.to_string()),
                tail.to_string(),
            ),
        };
        Some(ConfigVariable {
            name: name.to_string(),
            scope,
            path,
            location,
        })
    }

    /// The `system` path this variable overrides: `default/…`, `websites/<code>/…`.
    pub fn system_path(&self) -> String {
        match &self.scope {
            ConfigVariableScope::Default => format!("default/{}", self.path),
            ConfigVariableScope::Websites(code) => format!("websites/{code}/{}", self.path),
            ConfigVariableScope::Stores(code) => format!("stores/{code}/{}", self.path),
            ConfigVariableScope::Unknown(word) => format!("{word}/{}", self.path),
        }
    }

    /// Whether this variable overrides the `system` path `path` (`system_path() == path`,
    /// without building the string: this is asked for every setting of every site).
    pub fn overrides(&self, path: &str) -> bool {
        let under = |scope: &str, code: &str| {
            path.strip_prefix(scope)?
                .strip_prefix('/')?
                .strip_prefix(code)?
                .strip_prefix('/')
        };
        let rest = match &self.scope {
            ConfigVariableScope::Default => path.strip_prefix("default/"),
            ConfigVariableScope::Websites(code) => under("websites", code),
            ConfigVariableScope::Stores(code) => under("stores", code),
            ConfigVariableScope::Unknown(word) => path
                .strip_prefix(word.as_str())
                .and_then(|r| r.strip_prefix('/')),
        };
        rest == Some(self.path.as_str())
    }

    /// Number of segments in the config path (Magento paths have at least 3).
    pub fn path_depth(&self) -> usize {
        self.path.split('/').filter(|s| !s.is_empty()).count()
    }
}

/// Magento's decoding of a name after `CONFIG__`: every `__` becomes `/`, then all is
/// lower-cased. Names are ASCII: those take one pass instead of two strings.
fn restore(rest: &str) -> String {
    if !rest.is_ascii() {
        return rest.replace("__", "/").to_lowercase();
    }
    let mut out = String::with_capacity(rest.len());
    let mut bytes = rest.bytes().peekable();
    while let Some(byte) = bytes.next() {
        if byte == b'_' && bytes.next_if_eq(&b'_').is_some() {
            out.push('/');
        } else {
            out.push(char::from(byte.to_ascii_lowercase()));
        }
    }
    out
}

/// The mappings of names to values with which a file sets environment variables, each with the
/// JSON Pointer of its parent: `variables.env` of .magento.app.yaml, `services.<name>.environment`
/// of a compose file (read by `syntax::compose`), an env file's root, nginx `fastcgi_param` (of
/// the file and of each server block).
pub fn environments<'n>(kind: &FileKind, root: &'n Node) -> Vec<(CompactString, &'n Node)> {
    match kind {
        FileKind::MagentoAppYaml => root
            .get("variables")
            .and_then(|v| v.get("env"))
            .map(|env| (CompactString::const_new("/variables/env"), env))
            .into_iter()
            .collect(),
        FileKind::DockerCompose { .. } => root
            .get("services")
            .map_or(&[][..], |s| s.value.entries())
            .iter()
            .filter_map(|service| {
                let environment = service.value.get("environment")?;
                let name = super::pointer::key_text(&service.key);
                let name = name.replace('~', "~0").replace('/', "~1");
                Some((joined(&["/services/", &name, "/environment"]), environment))
            })
            .collect(),
        FileKind::DotEnv { .. } => vec![(CompactString::default(), root)],
        // The file's own parameters, then each server block's (`syntax::nginx`).
        FileKind::Nginx { .. } => {
            let servers = root.get("server").map_or(&[][..], |s| s.value.entries());
            root.get("fastcgi_param")
                .map(|params| (CompactString::const_new("/fastcgi_param"), params))
                .into_iter()
                .chain(servers.iter().enumerate().filter_map(|(index, server)| {
                    let params = server.value.get("fastcgi_param")?;
                    let pointer = joined(&["/server/", &index.to_string(), "/fastcgi_param"]);
                    Some((pointer, params))
                }))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Every variable a file sets (CONFIG__ or not), with its value and the JSON Pointer of its
/// entry (a list item's index, where the file writes a list).
pub fn environment_entries<'n>(
    kind: &FileKind,
    root: &'n Node,
) -> impl Iterator<Item = (CompactString, &'n Entry)> {
    environments(kind, root)
        .into_iter()
        .flat_map(|(parent, node)| {
            let list = matches!(node.value, Value::Array { list: true, .. });
            node.value
                .entries()
                .iter()
                .enumerate()
                .map(move |(index, entry)| {
                    let pointer = match list {
                        true => joined(&[&parent, "/", &index.to_string()]),
                        false => joined(&[&parent, "/", &super::pointer::key_text(&entry.key)]),
                    };
                    (pointer, entry)
                })
        })
}

/// The CONFIG__ variables a file sets, each decoded with its value node; the variable's location
/// is where its name is written, with its pointer.
pub fn variables_in<'n>(
    file: FileId,
    kind: &FileKind,
    root: &'n Node,
) -> Vec<(ConfigVariable, &'n Node)> {
    environment_entries(kind, root)
        .filter_map(|(pointer, entry)| {
            let name = entry.key.as_str()?;
            let location = Location::new(file, entry.key_span.get().unwrap_or(entry.value.span))
                .with_pointer(pointer);
            Some((ConfigVariable::parse(name, location)?, &entry.value))
        })
        .collect()
}

/// The value node of `variable` in the file it was read from (`root`, of kind `kind`).
pub fn variable_value<'n>(
    kind: &FileKind,
    root: &'n Node,
    variable: &ConfigVariable,
) -> Option<&'n Node> {
    environment_entries(kind, root)
        .map(|(_, entry)| entry)
        .find(|entry| {
            entry.key.matches(&variable.name)
                && entry.key_span.get().unwrap_or(entry.value.span) == variable.location.span
        })
        .map(|entry| &entry.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    fn parse(name: &str) -> Option<ConfigVariable> {
        ConfigVariable::parse(name, Location::new(0, Span::default()))
    }

    #[test]
    fn restores_like_replace_then_lowercase() {
        for rest in [
            "",
            "_",
            "__",
            "___",
            "____",
            "A__B",
            "A___B",
            "DEFAULT__WEB__SECURE__BASE_URL",
            "__X__",
            "Mixed_Case__Path_",
            "ÄÖ__Ü",
            "a_b__c",
        ] {
            assert_eq!(
                restore(rest),
                rest.replace("__", "/").to_lowercase(),
                "{rest}"
            );
        }
    }

    #[test]
    fn decodes_like_magento() {
        let v = parse("CONFIG__WEBSITES__BASE__WEB__SECURE__BASE_URL").unwrap();
        assert_eq!(v.scope, ConfigVariableScope::Websites("base".into()));
        assert_eq!(v.path, "web/secure/base_url");
        assert_eq!(v.system_path(), "websites/base/web/secure/base_url");
        assert!(v.overrides("websites/base/web/secure/base_url"));
        assert!(!v.overrides("websites/bas/e/web/secure/base_url"));
        assert!(!v.overrides("stores/base/web/secure/base_url"));
        let v = parse("CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT").unwrap();
        assert_eq!(v.system_path(), "default/magento_saas/environment");
        assert!(v.overrides("default/magento_saas/environment"));
        assert!(!v.overrides("default/magento_saas/environmen"));
        assert!(!v.overrides("websites/magento_saas/environment"));
        assert_eq!(v.path_depth(), 2);
        let v = parse("CONFIG__WEBSITE__BASE__A__B__C").unwrap();
        assert_eq!(v.scope, ConfigVariableScope::Unknown("website".into()));
        assert!(parse("MAGENTO_CLOUD_ENVIRONMENT").is_none());
    }
}
