//! The Magento version an installation deploys, found the way ece-tools finds it
//! (`Package/MagentoVersion.php`): `DEPLOYED_MAGENTO_VERSION_FROM_GIT` in the `global` stage of
//! .magento.env.yaml, else the locked version of `magento/magento2-base` in composer.lock.
//! Versions compare like Composer's: `2.4.3-p2` is after `2.4.3`, `2.4.0-beta1` before `2.4.0`.

use super::composer_lock::{locked_packages, locked_version};
use super::env_yaml;
use crate::diagnostic::{FileId, Location};
use crate::syntax::Node;
use std::cmp::Ordering;

/// A version as Composer compares it: four numbers, then a stability (`-alpha`, `-beta`,
/// `-RC` before the release, `-pN` patches after it) and its number.
#[derive(Clone, Debug)]
pub struct Version {
    numbers: [u64; 4],
    stability: Stability,
    stability_number: u64,
    /// As written.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    Dev,
    Alpha,
    Beta,
    Rc,
    Stable,
    Patch,
}

impl Version {
    /// Reads `2.4.7`, `v2.4.7-p3`, `2.4.0-beta1`, `2.3.7.0-patch3`; `None` for a branch
    /// (`dev-main`) or anything else that is not a version.
    pub fn parse(text: &str) -> Option<Version> {
        let trimmed = text.trim();
        let body = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let (numbers_text, suffix) = match body.find(['-', '+']) {
            Some(at) => (&body[..at], &body[at + 1..]),
            None => (body, ""),
        };
        let mut numbers = [0; 4];
        for (count, part) in numbers_text.split('.').enumerate() {
            if count == 4 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            numbers[count] = part.parse().ok()?;
        }
        let (stability, stability_number) = stability_of(suffix)?;
        Some(Version {
            numbers,
            stability,
            stability_number,
            text: trimmed.to_string(),
        })
    }

    /// Whether this version is `other` or later.
    pub fn at_least(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| self.cmp(&other) != Ordering::Less)
    }

    /// Whether this version is before `other`.
    pub fn before(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| self.cmp(&other) == Ordering::Less)
    }

    /// Whether it satisfies the Composer constraint `>=other` (`other` without a stability):
    /// Composer reads it as `>=other-dev`, so pre-releases of `other` count.
    pub fn satisfies_at_least(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| self.numbers >= other.numbers)
    }

    /// Whether it satisfies the Composer constraint `<other` (`other` without a stability):
    /// read as `<other-dev`, so pre-releases of `other` are excluded.
    pub fn satisfies_below(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| self.numbers < other.numbers)
    }

    /// Whether it is a `major.minor.*` release (`2.1.*` matches 2.1.0 to 2.1.18-p1).
    pub fn in_series(&self, major: u64, minor: u64) -> bool {
        // Composer reads `2.1.*` as `>=2.1.0.0-dev <2.2.0.0-dev`: pre-releases count.
        self.numbers[0] == major && self.numbers[1] == minor
    }
}

fn stability_of(suffix: &str) -> Option<(Stability, u64)> {
    if suffix.is_empty() {
        return Some((Stability::Stable, 0));
    }
    let lower = suffix.to_ascii_lowercase();
    let split = lower
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (word, number) = lower.split_at(split);
    let word = word.trim_end_matches(['.', '-']);
    let number = match number {
        "" => 0,
        n => n.parse().ok()?,
    };
    let stability = match word {
        "dev" => Stability::Dev,
        "a" | "alpha" => Stability::Alpha,
        "b" | "beta" => Stability::Beta,
        "rc" => Stability::Rc,
        "p" | "pl" | "patch" => Stability::Patch,
        _ => return None,
    };
    Some((stability, number))
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then(self.stability.cmp(&other.stability))
            .then(self.stability_number.cmp(&other.stability_number))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The Magento version an installation deploys and where it is written.
#[derive(Clone, Debug)]
pub struct MagentoVersion {
    pub version: Version,
    pub location: Location,
    /// "composer.lock (magento/magento2-base)" or "DEPLOYED_MAGENTO_VERSION_FROM_GIT".
    pub from: &'static str,
}

/// The deployed Magento version: `env_yaml` is .magento.env.yaml's tree (file `env_file`),
/// `composer_lock` composer.lock's (file `lock_file`); either may be absent.
pub fn deployed(
    env_yaml: Option<(FileId, &Node)>,
    composer_lock: Option<(FileId, &Node)>,
) -> Option<MagentoVersion> {
    if let Some((file, root)) = env_yaml {
        let from_git = env_yaml::written(root, "global", "DEPLOYED_MAGENTO_VERSION_FROM_GIT");
        if let Some(entry) = from_git {
            if env_yaml::is_empty(&entry.value) == Some(false) {
                let text = entry.value.value.scalar_text()?;
                return Some(MagentoVersion {
                    version: Version::parse(&text)?,
                    location: Location::new(file, entry.value.span),
                    from: "DEPLOYED_MAGENTO_VERSION_FROM_GIT",
                });
            }
        }
    }
    let (file, root) = composer_lock?;
    let packages = locked_packages(file, root);
    let base = locked_version(&packages, "magento/magento2-base")?;
    Some(MagentoVersion {
        version: Version::parse(&base.version)?,
        location: base.location.clone(),
        from: "composer.lock (magento/magento2-base)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect(text)
    }

    #[test]
    fn compares_like_composer() {
        assert!(v("2.4.3-p2") > v("2.4.3"));
        assert!(v("2.4.3-p2") < v("2.4.4"));
        assert!(v("2.4.0-beta1") < v("2.4.0"));
        assert!(v("2.4.0-RC2") > v("2.4.0-beta9"));
        assert_eq!(v("v2.4.7").cmp(&v("2.4.7.0")), Ordering::Equal);
        assert_eq!(v("2.4.7-patch3").cmp(&v("2.4.7-p3")), Ordering::Equal);
        assert!(v("2.4.10") > v("2.4.9"));
        assert!(v("2.3.7-p3").at_least("2.3.7-p3") && v("2.3.7-p3").before("2.4.0"));
        assert!(v("2.1.18").in_series(2, 1) && !v("2.2.0").in_series(2, 1));
        // Constraints read a bare lower bound as `-dev`, a comparison does not.
        assert!(
            v("2.4.0-beta1").satisfies_at_least("2.4.0") && !v("2.4.0-beta1").at_least("2.4.0")
        );
        assert!(!v("2.5.0-beta1").satisfies_below("2.5.0") && v("2.5.0-beta1").before("2.5.0"));
        for bad in [
            "dev-main",
            "2.4.x-dev",
            "",
            "2..4",
            "2.4.7-foo",
            "1.2.3.4.5",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

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
