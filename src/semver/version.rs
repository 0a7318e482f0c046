//! A Composer version: parsing, normalizing and ordering.

use std::cmp::Ordering;

/// Pre-release and patch stabilities in composer's order (PHP's `version_compare` order, where
/// a plain number sits between `RC` and `patch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    Dev,
    Alpha,
    Beta,
    Rc,
    Stable,
    Patch,
}

/// A normalized version: four numbers, a stability with its numbers (`beta2`, `patch9`), and
/// whether `-dev` ends it.
/// Equality and order are composer's (`v2.4` equals `2.4.0.0`), whatever the text.
#[derive(Clone, Debug)]
pub struct Version {
    numbers: [u64; 4],
    stability: Stability,
    stability_numbers: Vec<u64>,
    dev: bool,
    /// As written (trimmed), for messages.
    pub text: String,
}

impl Version {
    /// Reads a version as composer normalizes one (`v1.2`, `2.4.7-p3`, `1.0.0-RC1`); `None`
    /// for what is no numbered version (a branch such as `dev-main`, a date version).
    pub fn parse(text: &str) -> Option<Version> {
        let written = text.trim();
        let mut text = written;
        // An alias (`1.0 as 2.0`) stands for its first version; build metadata is ignored.
        if let Some((first, _)) = text.split_once(" as ") {
            text = first.trim();
        }
        if let Some((before, _)) = text.split_once('+') {
            text = before;
        }
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let digits_end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let mut numbers = [0u64; 4];
        let mut rest = text;
        for (index, number) in numbers.iter_mut().enumerate() {
            if index > 0 {
                match rest.strip_prefix('.') {
                    Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => rest = after,
                    _ => break,
                }
            }
            let end = digits_end(rest);
            // Composer reads five digits at most as a first number (more is a date version).
            if end == 0 || (index == 0 && end > 5) {
                return None;
            }
            *number = rest[..end].parse().ok()?;
            rest = &rest[end..];
        }
        let (stability, stability_numbers, dev) = modifier(rest)?;
        Some(Version {
            numbers,
            stability,
            stability_numbers,
            dev,
            text: written.to_string(),
        })
    }

    /// Whether this version is `other` or later, compared as composer's `Comparator` does
    /// (`2.4.0-beta1` is before `2.4.0`); false when `other` is no version.
    pub fn at_least(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| *self >= other)
    }

    /// Whether this version is before `other`; false when `other` is no version.
    pub fn before(&self, other: &str) -> bool {
        Version::parse(other).is_some_and(|other| *self < other)
    }

    /// Whether it satisfies the constraint `constraint` as `Semver::satisfies` decides
    /// (`>=2.4.0` takes in 2.4.0's pre-releases); false when the constraint cannot be read.
    pub fn satisfies(&self, constraint: &str) -> bool {
        super::Constraint::parse(constraint).is_some_and(|c| c.matches(self))
    }

    /// Whether it is a `major.minor.*` release: composer reads `2.1.*` as
    /// `>=2.1.0.0-dev <2.2.0.0-dev`, so pre-releases count.
    pub fn in_series(&self, major: u64, minor: u64) -> bool {
        self.minor() == (major, minor)
    }

    /// The major and minor numbers (`8.1` of `8.1.27`).
    pub fn minor(&self) -> (u64, u64) {
        (self.numbers[0], self.numbers[1])
    }

    pub(super) fn with_dev(mut self) -> Version {
        if self.stability == Stability::Stable {
            self.stability = Stability::Dev;
        } else {
            self.dev = true;
        }
        self
    }

    /// `major.minor.patch.build` from four numbers, stable.
    pub(super) fn from_numbers(numbers: [u64; 4]) -> Version {
        Version {
            numbers,
            stability: Stability::Stable,
            stability_numbers: Vec::new(),
            dev: false,
            text: numbers.map(|n| n.to_string()).join("."),
        }
    }
}

/// Reads composer's version modifier (`-p3`, `-beta.2`, `RC1`, `-dev`, `-beta1-dev`) after the
/// numbers: the stability, its numbers, and whether `-dev` ends it. `None` when more follows.
fn modifier(text: &str) -> Option<(Stability, Vec<u64>, bool)> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    if rest.is_empty() {
        return Some((Stability::Stable, Vec::new(), false));
    }
    rest = rest.strip_prefix(['.', '_', '-']).unwrap_or(rest);
    // Longest names first: `pl` before `p`, `alpha` before `a`.
    let names = [
        ("stable", Stability::Stable),
        ("alpha", Stability::Alpha),
        ("beta", Stability::Beta),
        ("patch", Stability::Patch),
        ("rc", Stability::Rc),
        ("pl", Stability::Patch),
        ("a", Stability::Alpha),
        ("b", Stability::Beta),
        ("p", Stability::Patch),
    ];
    let mut stability = Stability::Stable;
    let mut numbers = Vec::new();
    // `dev` itself is no stability name here: `-dev` alone marks a dev version.
    if !rest.starts_with("dev") {
        let (name, found) = names.iter().find(|(name, _)| rest.starts_with(name))?;
        stability = *found;
        rest = &rest[name.len()..];
        loop {
            let after = rest.strip_prefix(['.', '-']).unwrap_or(rest);
            let end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            if end == 0 {
                break;
            }
            numbers.push(after[..end].parse().ok()?);
            rest = &after[end..];
        }
    }
    let dev = match rest.strip_prefix(['.', '-']).unwrap_or(rest) {
        "" if !rest.is_empty() => return None,
        "" => false,
        "dev" => true,
        _ => return None,
    };
    if dev && stability == Stability::Stable {
        return Some((Stability::Dev, Vec::new(), false));
    }
    // `-stable` adds nothing.
    if stability == Stability::Stable {
        numbers.clear();
    }
    Some((stability, numbers, dev))
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then(self.stability.cmp(&other.stability))
            // A missing number is below any number (`beta` < `beta0`), as `version_compare`.
            .then_with(|| {
                for index in 0..self
                    .stability_numbers
                    .len()
                    .max(other.stability_numbers.len())
                {
                    let ordering = match (
                        self.stability_numbers.get(index),
                        other.stability_numbers.get(index),
                    ) {
                        (Some(a), Some(b)) => a.cmp(b),
                        (None, Some(_)) => Ordering::Less,
                        (Some(_), None) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    };
                    if ordering != Ordering::Equal {
                        return ordering;
                    }
                }
                Ordering::Equal
            })
            // `-dev` is below the same version without it.
            .then(other.dev.cmp(&self.dev))
    }
}

/// As written.
impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
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
