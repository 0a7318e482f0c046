//! composer.lock: the package versions an installation runs (Magento, ece-tools) and the PHP
//! versions its packages accept.

use super::pointer;
use crate::diagnostic::{FileId, Location};
use crate::syntax::{Node, Value};
use compact_str::CompactString;

/// One locked package.
#[derive(Clone, Debug, PartialEq)]
pub struct LockedPackage {
    pub name: CompactString,
    /// The version as locked (`2002.1.17`, `v1.2.0`, `dev-main`).
    pub version: CompactString,
    /// Its `require.php` constraint, if it has one.
    pub php: Option<CompactString>,
    /// Whether it is in `packages-dev`.
    pub dev: bool,
    /// Where its `version` is written.
    pub location: Location,
}

/// Every package of composer.lock `file` (`root` is its parsed document), in file order.
pub fn locked_packages(file: FileId, root: &Node) -> Vec<LockedPackage> {
    let mut packages = Vec::new();
    for (section, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(list) = root.get(section) else {
            continue;
        };
        for (index, entry) in list.value.entries().iter().enumerate() {
            let package = &entry.value;
            let (Some(name), Some(version)) = (text(package.get("name")), package.get("version"))
            else {
                continue;
            };
            let Some(version_text) = text(Some(version)) else {
                continue;
            };
            let php = package.get("require").and_then(|r| text(r.get("php")));
            let at = pointer::joined(&["/", section, "/", &index.to_string(), "/version"]);
            packages.push(LockedPackage {
                name,
                version: version_text,
                php,
                dev,
                location: Location::new(file, version.span).with_pointer(at),
            });
        }
    }
    packages
}

/// The locked package `name` of composer.lock `file` (packages first, then packages-dev),
/// found without building the others (a lock lists hundreds).
pub fn locked_package(file: FileId, root: &Node, name: &str) -> Option<LockedPackage> {
    for (section, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(list) = root.get(section) else {
            continue;
        };
        for (index, entry) in list.value.entries().iter().enumerate() {
            let package = &entry.value;
            let named = package
                .get("name")
                .and_then(|n| n.value.as_str())
                .is_some_and(|n| n.eq_ignore_ascii_case(name));
            if !named {
                continue;
            }
            let version = package.get("version")?;
            let at = pointer::joined(&["/", section, "/", &index.to_string(), "/version"]);
            return Some(LockedPackage {
                name: text(package.get("name"))?,
                version: text(Some(version))?,
                php: package.get("require").and_then(|r| text(r.get("php"))),
                dev,
                location: Location::new(file, version.span).with_pointer(at),
            });
        }
    }
    None
}

/// The locked version of `name`, if composer.lock has it.
pub fn locked_version<'p>(packages: &'p [LockedPackage], name: &str) -> Option<&'p LockedPackage> {
    packages.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

fn text(node: Option<&Node>) -> Option<CompactString> {
    match &node?.value {
        Value::String(s) => Some(s.as_str().into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{json, Limits};

    #[test]
    fn reads_names_versions_php_constraints_and_positions() {
        let text = r#"{
  "packages": [
    {"name": "magento/ece-tools", "version": "2002.1.17", "require": {"php": "^7.4 || ^8.0"}},
    {"name": "no/version"},
    {"name": "magento/magento-cloud-metapackage", "version": "2.4.7"}
  ],
  "packages-dev": [{"name": "phpunit/phpunit", "version": "9.6.0"}]
}"#;
        let document = json::parse(text, &Limits::default()).expect("parses");
        let packages = locked_packages(3, &document.root);
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "magento/ece-tools",
                "magento/magento-cloud-metapackage",
                "phpunit/phpunit"
            ]
        );
        let ece = locked_version(&packages, "Magento/ECE-Tools").expect("found");
        assert_eq!(ece.version, "2002.1.17");
        assert_eq!(ece.php.as_deref(), Some("^7.4 || ^8.0"));
        assert!(!ece.dev && packages[2].dev);
        let span = ece.location.span;
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "\"2002.1.17\""
        );
        assert_eq!(ece.location.pointer.as_deref(), Some("/packages/0/version"));
        assert_eq!(
            packages[1].location.pointer.as_deref(),
            Some("/packages/2/version")
        );
        let found = locked_package(3, &document.root, "Magento/ECE-Tools").expect("found");
        assert_eq!(&found, ece);
        let dev = locked_package(3, &document.root, "phpunit/phpunit").expect("found");
        assert!(dev.dev);
        assert!(locked_package(3, &document.root, "no/version").is_none());
        assert!(locked_package(3, &document.root, "absent/package").is_none());
    }
}
