//! `.magelint.yaml`: what the repository declares about itself.
//!
//! Read from the parsed `Document`, so every declaration keeps its position and can be named as
//! evidence in a diagnostic ("declared production in .magelint.yaml:4").

use crate::diagnostic::{FileId, Location};
use crate::syntax::{Node, Value};
use std::path::{Path, PathBuf};

/// A deployment tier as declared or inferred.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TierKind {
    Production,
    NonProduction,
    Unknown,
}

impl TierKind {
    pub fn parse(text: &str) -> Option<TierKind> {
        match text.to_ascii_lowercase().as_str() {
            "production" | "prod" => Some(TierKind::Production),
            "non-production" | "nonproduction" | "non_production" | "staging" | "development" => {
                Some(TierKind::NonProduction)
            }
            _ => None,
        }
    }
}

/// The Magento edition of an installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EditionKind {
    Commerce,
    OpenSource,
    Unknown,
}

impl EditionKind {
    pub fn parse(text: &str) -> Option<EditionKind> {
        match text.to_ascii_lowercase().as_str() {
            "commerce" | "adobe-commerce" | "enterprise" => Some(EditionKind::Commerce),
            "open-source" | "opensource" | "community" => Some(EditionKind::OpenSource),
            _ => None,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            EditionKind::Commerce => "Adobe Commerce",
            EditionKind::OpenSource => "Magento Open Source",
            EditionKind::Unknown => "unknown edition",
        }
    }
}

/// The type of a SaaS data space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataSpaceKind {
    Production,
    Testing,
}

impl DataSpaceKind {
    pub fn parse(text: &str) -> Option<DataSpaceKind> {
        match text.to_ascii_lowercase().as_str() {
            "production" => Some(DataSpaceKind::Production),
            "testing" | "test" | "sandbox" => Some(DataSpaceKind::Testing),
            _ => None,
        }
    }

    /// The type as Magento writes it to `services_id/environment` (from Adobe's registry):
    /// `Production` or `Testing`, compared without case, as the schema allows it. Empty is
    /// "not set"; anything else is no type (SCH003).
    pub fn parse_written(text: &str) -> Option<DataSpaceKind> {
        if text.eq_ignore_ascii_case("production") {
            Some(DataSpaceKind::Production)
        } else if text.eq_ignore_ascii_case("testing") {
            Some(DataSpaceKind::Testing)
        } else {
            None
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            DataSpaceKind::Production => "Production",
            DataSpaceKind::Testing => "Testing",
        }
    }
}

/// A value from the config file with where it is written.
#[derive(Clone, Debug)]
pub struct Declared<T> {
    pub value: T,
    pub location: Location,
}

/// A site declared for an installation: an env file path, or a name for a deployment whose env
/// file is not in the repository.
#[derive(Clone, Debug)]
pub struct SiteDeclaration {
    pub name: String,
    pub tier: Declared<TierKind>,
}

#[derive(Clone, Debug)]
pub struct InstallationDeclaration {
    /// Absolute or base-relative path of the installation root.
    pub path: PathBuf,
    pub edition: Option<Declared<EditionKind>>,
    pub sites: Vec<SiteDeclaration>,
}

#[derive(Clone, Debug)]
pub struct DataSpaceDeclaration {
    pub id: Declared<String>,
    pub kind: Option<Declared<DataSpaceKind>>,
    pub project: Option<Declared<String>>,
    pub name: Option<String>,
}

/// What one `.magelint.yaml` declares about the fleet.
#[derive(Clone, Debug, Default)]
pub struct Declarations {
    pub installations: Vec<InstallationDeclaration>,
    pub data_spaces: Vec<DataSpaceDeclaration>,
}

/// Reads the declarations of a parsed `.magelint.yaml` at `path` (file `id`). Entries that do not
/// have the expected shape are skipped here; the schema check reports them with positions.
pub fn read_declarations(id: FileId, path: &Path, root: &Node) -> Declarations {
    let dir = path.parent().unwrap_or(Path::new(""));
    let at = |node: &Node| Location::new(id, node.span);
    let text = |node: &Node| node.value.scalar_text().filter(|s| !s.is_empty());
    let mut declarations = Declarations::default();
    for entry in root
        .get("installations")
        .map_or(&[][..], |n| n.value.entries())
    {
        let item = &entry.value;
        let Some(root) = item.get("path").and_then(text) else {
            continue;
        };
        let edition = item.get("edition").and_then(|n| {
            let kind = EditionKind::parse(&text(n)?)?;
            Some(Declared {
                value: kind,
                location: at(n),
            })
        });
        let mut sites = Vec::new();
        for site in item.get("sites").map_or(&[][..], |n| n.value.entries()) {
            let Some(tier) = text(&site.value).and_then(|t| TierKind::parse(&t)) else {
                continue;
            };
            sites.push(SiteDeclaration {
                name: site.key.to_string(),
                tier: Declared {
                    value: tier,
                    location: at(&site.value),
                },
            });
        }
        declarations.installations.push(InstallationDeclaration {
            path: normalize(&dir.join(root)),
            edition,
            sites,
        });
    }
    for entry in root
        .get("data-spaces")
        .map_or(&[][..], |n| n.value.entries())
    {
        let item = &entry.value;
        let Some(id_node) = item.get("id") else {
            continue;
        };
        let Some(id_text) = text(id_node) else {
            continue;
        };
        let kind = item.get("type").and_then(|n| {
            let kind = DataSpaceKind::parse(&text(n)?)?;
            Some(Declared {
                value: kind,
                location: at(n),
            })
        });
        declarations.data_spaces.push(DataSpaceDeclaration {
            id: Declared {
                value: id_text,
                location: at(id_node),
            },
            kind,
            project: item.get("project").and_then(|n| {
                Some(Declared {
                    value: text(n)?,
                    location: at(n),
                })
            }),
            name: item.get("name").and_then(text),
        });
    }
    declarations
}

/// Lexically normalizes `a/./b/../c` → `a/c` (no file system access, so it works for paths
/// that do not exist).
pub fn normalize(path: &Path) -> PathBuf {
    // Walked paths are already normal (this runs for every file of a fleet): copy those.
    if let Some(text) = path.to_str() {
        // Cut at `/` bytes (the generic `split('/')` costs more than the check itself).
        let bytes = text.as_bytes();
        let body = bytes.strip_prefix(b"/").unwrap_or(bytes);
        let normal = !text.is_empty()
            && text != "/"
            && !bytes.contains(&b'\\')
            && body
                .split(|&b| b == b'/')
                .all(|part| !matches!(part, b"" | b"." | b".."));
        if normal {
            return path.to_path_buf();
        }
    }
    normalize_components(path)
}

/// `normalize` by walking the components (every path shape).
fn normalize_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Reads a scalar as text, for values that may be written as numbers in YAML.
pub fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Array { .. } | Value::Dynamic(_) | Value::Null => None,
        value => value.scalar_text(),
    }
}

#[cfg(test)]
mod normalize_tests {
    use super::{normalize, normalize_components};
    use std::path::Path;

    /// The fast path must agree with the component walk on every shape.
    #[test]
    fn fast_path_agrees_with_components() {
        for case in [
            "",
            "/",
            "a",
            "/a",
            "/a/b/c.php",
            "a/b",
            "./a",
            "a/./b",
            "a/../b",
            "../a",
            "/a/..",
            "a//b",
            "a/",
            "/a/b/",
            ".",
            "..",
            "/..",
            "a/.",
            "a/b/..",
            "//a",
            "a\\b",
            "/x/.hidden/y",
            "/x/..hidden",
            "/x/y./z",
            "/x/...",
        ] {
            let path = Path::new(case);
            assert_eq!(normalize(path), normalize_components(path), "{case:?}");
        }
    }
}
