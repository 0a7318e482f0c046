//! The Magento version an installation deploys, found the way ece-tools finds it
//! (`Package/MagentoVersion.php`): `DEPLOYED_MAGENTO_VERSION_FROM_GIT` in the `global` stage of
//! .magento.env.yaml, else the locked version of `magento/magento2-base` in composer.lock.
//! Versions are composer's (`crate::semver`).

use super::composer_lock::{locked_packages, locked_version};
use super::env_yaml;
use crate::diagnostic::{FileId, Location};
pub use crate::semver::Version;
use crate::syntax::Node;

/// The Magento version an installation deploys and where it is written.
#[derive(Clone, Debug)]
pub struct MagentoVersion {
    pub version: Version,
    pub location: Location,
    /// "composer.lock (magento/magento2-base)" or "DEPLOYED_MAGENTO_VERSION_FROM_GIT".
    pub from: &'static str,
}

impl MagentoVersion {
    /// Where the version comes from, for a related location: ``composer.lock locks
    /// magento/magento2-base 2.4.7`` or ``DEPLOYED_MAGENTO_VERSION_FROM_GIT is `2.4.7` ``.
    pub fn source(&self) -> String {
        match self.from {
            FROM_GIT => format!("{FROM_GIT} is `{}`", self.version),
            _ => format!("composer.lock locks {MAGENTO_BASE} {}", self.version),
        }
    }
}

const FROM_GIT: &str = "DEPLOYED_MAGENTO_VERSION_FROM_GIT";
/// The package whose locked version is the Magento version, for ece-tools.
pub const MAGENTO_BASE: &str = "magento/magento2-base";

/// The deployed Magento version: `env_yaml` is .magento.env.yaml's tree (file `env_file`),
/// `composer_lock` composer.lock's (file `lock_file`); either may be absent.
pub fn deployed(
    env_yaml: Option<(FileId, &Node)>,
    composer_lock: Option<(FileId, &Node)>,
) -> Option<MagentoVersion> {
    if let Some((file, root)) = env_yaml {
        let from_git = env_yaml::written(root, "global", FROM_GIT);
        if let Some(entry) = from_git {
            if env_yaml::is_empty(&entry.value) == Some(false) {
                let text = entry.value.value.scalar_text()?;
                return Some(MagentoVersion {
                    version: Version::parse(&text)?,
                    location: Location::new(file, entry.value.span),
                    from: FROM_GIT,
                });
            }
        }
    }
    let (file, root) = composer_lock?;
    let packages = locked_packages(file, root);
    let base = locked_version(&packages, MAGENTO_BASE)?;
    Some(MagentoVersion {
        version: Version::parse(&base.version)?,
        location: base.location.clone(),
        from: "composer.lock (magento/magento2-base)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_git_version_wins_over_the_lock() {
        use crate::syntax::{json, yaml, Limits};
        let env = yaml::parse(
            "stage:\n  global:\n    DEPLOYED_MAGENTO_VERSION_FROM_GIT: '2.3.5'\n",
            &Limits::default(),
        )
        .expect("yaml");
        let lock = json::parse(
            r#"{"packages": [{"name": "magento/magento2-base", "version": "2.4.7-p3"}]}"#,
            &Limits::default(),
        )
        .expect("json");
        let from_lock = deployed(None, Some((1, &lock.root))).expect("lock");
        assert_eq!(from_lock.version.text, "2.4.7-p3");
        assert!(from_lock.version.at_least("2.4.0"));
        let from_git = deployed(Some((0, &env.root)), Some((1, &lock.root))).expect("git");
        assert_eq!(from_git.version.text, "2.3.5");
        assert_eq!(from_git.from, "DEPLOYED_MAGENTO_VERSION_FROM_GIT");
        assert!(deployed(None, None).is_none());
    }
}
