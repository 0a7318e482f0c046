//! Composer versions and version constraints, compared the way composer/semver does (ece-tools
//! decides with `Semver::satisfies`): `2.4.7-p3` is `2.4.7.0-patch3`, above `2.4.7` and below
//! `2.4.8`; `<2.4.6` and `>=2.4.6` compare with `2.4.6.0-dev`, so 2.4.6's pre-releases are
//! below it; `~7.4.0` is `>=7.4.0.0-dev <7.5.0.0-dev`, `^2` is `>=2.0.0.0-dev <3.0.0.0-dev`,
//! `1.2.*` is `>=1.2.0.0-dev <1.3.0.0-dev`; `|`/`||` separate alternatives, a space or a comma
//! joins bounds.

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    numbers: [u64; 4],
    stability: Stability,
    stability_numbers: Vec<u64>,
    dev: bool,
}

impl Version {
    /// Reads a version as composer normalizes one (`v1.2`, `2.4.7-p3`, `1.0.0-RC1`); `None`
    /// for what is no numbered version (a branch such as `dev-main`, a date version).
    pub fn parse(text: &str) -> Option<Version> {
        let mut text = text.trim();
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
        })
    }

    /// The major and minor numbers (`8.1` of `8.1.27`).
    pub fn minor(&self) -> (u64, u64) {
        (self.numbers[0], self.numbers[1])
    }

    fn with_dev(mut self) -> Version {
        if self.stability == Stability::Stable {
            self.stability = Stability::Dev;
        } else {
            self.dev = true;
        }
        self
    }

    /// `major.minor.patch.build` from four numbers, stable.
    fn from_numbers(numbers: [u64; 4]) -> Version {
        Version {
            numbers,
            stability: Stability::Stable,
            stability_numbers: Vec::new(),
            dev: false,
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

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Bound {
    operator: Operator,
    version: Version,
}

impl Bound {
    fn new(operator: Operator, version: Version) -> Bound {
        Bound { operator, version }
    }

    fn admits(&self, version: &Version) -> bool {
        let ordering = version.cmp(&self.version);
        match self.operator {
            Operator::Equal => ordering == Ordering::Equal,
            Operator::NotEqual => ordering != Ordering::Equal,
            Operator::Less => ordering == Ordering::Less,
            Operator::LessOrEqual => ordering != Ordering::Greater,
            Operator::Greater => ordering == Ordering::Greater,
            Operator::GreaterOrEqual => ordering != Ordering::Less,
        }
    }
}

/// A constraint: alternatives, each a set of bounds that must all hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    alternatives: Vec<Vec<Bound>>,
}

impl Constraint {
    /// Parses a constraint as composer does; `None` for what composer would refuse (or a
    /// branch constraint such as `dev-main`, which no numbered version satisfies here).
    pub fn parse(text: &str) -> Option<Constraint> {
        let alternatives = text
            .trim()
            .split('|')
            .filter(|part| !part.trim().is_empty())
            .map(parse_conjunction)
            .collect::<Option<Vec<_>>>()?;
        (!alternatives.is_empty()).then_some(Constraint { alternatives })
    }

    pub fn matches(&self, version: &Version) -> bool {
        self.alternatives
            .iter()
            .any(|bounds| bounds.iter().all(|b| b.admits(version)))
    }

    /// Whether `version` (text) satisfies `constraint` (text): `None` when either is not
    /// readable.
    pub fn satisfies(version: &str, constraint: &str) -> Option<bool> {
        Some(Constraint::parse(constraint)?.matches(&Version::parse(version)?))
    }
}

/// The bounds of one alternative: parts separated by spaces or commas, an operator standing
/// alone (`>= 1.0`) joining the part after it, `a - b` a hyphen range.
fn parse_conjunction(text: &str) -> Option<Vec<Bound>> {
    let tokens: Vec<&str> = text
        .split([' ', ',', '\t'])
        .filter(|t| !t.is_empty())
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        if tokens.get(index + 1) == Some(&"-") && index + 2 < tokens.len() {
            parts.push(format!("{token} - {}", tokens[index + 2]));
            index += 3;
        } else if is_operator(token) && index + 1 < tokens.len() {
            parts.push(format!("{token}{}", tokens[index + 1]));
            index += 2;
        } else {
            parts.push(token.to_string());
            index += 1;
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut bounds = Vec::new();
    for part in &parts {
        bounds.extend(parse_single(part)?);
    }
    Some(bounds)
}

fn is_operator(token: &str) -> bool {
    matches!(token, "<>" | "!=" | ">" | ">=" | "<" | "<=" | "=" | "==")
}

/// One constraint without alternatives or spaces: `~1.2`, `^2`, `1.2.*`, `>=7.1`, `a - b`, `*`.
fn parse_single(text: &str) -> Option<Vec<Bound>> {
    // A stability flag (`@dev`) widens what a package may be; versions compared here are
    // numbered, so it is dropped.
    let text = match text.rsplit_once('@') {
        Some((before, flag)) if is_stability_flag(flag) => {
            if before.is_empty() {
                "*"
            } else {
                before
            }
        }
        _ => text,
    };
    if text.starts_with("dev-") {
        return None;
    }
    let wildcard = |t: &str| t.split('.').all(|p| matches!(p, "*" | "x" | "X"));
    if wildcard(text.strip_prefix(['v', 'V']).unwrap_or(text)) {
        return Some(Vec::new());
    }
    if let Some((from, to)) = text.split_once(" - ") {
        return hyphen_range(from, to);
    }
    if let Some(rest) = text.strip_prefix('~') {
        if rest.starts_with('>') {
            return None;
        }
        return tilde_or_caret(rest, true);
    }
    if let Some(rest) = text.strip_prefix('^') {
        return tilde_or_caret(rest, false);
    }
    if let Some(bounds) = x_range(text) {
        return Some(bounds);
    }
    let (operator, rest) = [
        ("<>", Operator::NotEqual),
        ("!=", Operator::NotEqual),
        (">=", Operator::GreaterOrEqual),
        ("<=", Operator::LessOrEqual),
        ("==", Operator::Equal),
        (">", Operator::Greater),
        ("<", Operator::Less),
        ("=", Operator::Equal),
    ]
    .iter()
    .find_map(|(prefix, operator)| Some((*operator, text.strip_prefix(prefix)?)))
    .unwrap_or((Operator::Equal, text));
    let rest = rest.trim();
    let mut version = Version::parse(rest)?;
    // `<2.4` and `>=2.4` mean below / from 2.4's first pre-release, unless a stability is
    // written.
    if matches!(operator, Operator::Less | Operator::GreaterOrEqual) && !has_modifier(rest) {
        version = version.with_dev();
    }
    Some(vec![Bound::new(operator, version)])
}

fn is_stability_flag(flag: &str) -> bool {
    matches!(
        flag.to_ascii_lowercase().as_str(),
        "stable" | "rc" | "beta" | "alpha" | "dev"
    )
}

/// Whether a version text ends with a stability modifier (`-beta1`, `-p2`, `-dev`).
fn has_modifier(text: &str) -> bool {
    let numbers_end = text
        .trim_start_matches(['v', 'V'])
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|i| i + (text.len() - text.trim_start_matches(['v', 'V']).len()));
    numbers_end.is_some_and(|end| end < text.len())
}

/// The written numbers of a version (up to four) and whether a modifier follows them.
fn written_numbers(text: &str) -> Option<(Vec<u64>, bool)> {
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let numbers_text = text[..end].trim_end_matches('.');
    let numbers: Vec<u64> = numbers_text
        .split('.')
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    (1..=4)
        .contains(&numbers.len())
        .then_some((numbers, end < text.len()))
}

/// The version of `numbers` (padded with zeros) where the number at `position` (1-based) is
/// raised by one and those after it are zero; `-dev`.
fn raised(numbers: &[u64], position: usize) -> Version {
    let mut out = [0u64; 4];
    for (index, slot) in out.iter_mut().enumerate().take(position) {
        *slot = numbers.get(index).copied().unwrap_or(0);
    }
    out[position - 1] += 1;
    Version::from_numbers(out).with_dev()
}

/// `~1.2.3` (`tilde`) or `^1.2.3`.
fn tilde_or_caret(text: &str, tilde: bool) -> Option<Vec<Bound>> {
    let (numbers, modified) = written_numbers(text)?;
    let mut low = Version::parse(text)?;
    if !modified {
        low = low.with_dev();
    }
    let position = if tilde {
        numbers.len().saturating_sub(1).max(1)
    } else if numbers[0] != 0 || numbers.len() == 1 {
        1
    } else if numbers[1] != 0 || numbers.len() == 2 {
        2
    } else {
        3
    };
    Some(vec![
        Bound::new(Operator::GreaterOrEqual, low),
        Bound::new(Operator::Less, raised(&numbers, position)),
    ])
}

/// `1.2.*`, `1.x`: from the first version of the range to below the next.
fn x_range(text: &str) -> Option<Vec<Bound>> {
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let mut numbers = Vec::new();
    let mut wild = false;
    for part in text.split('.') {
        match part {
            "*" | "x" | "X" => wild = true,
            digits if !wild && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                numbers.push(digits.parse().ok()?)
            }
            _ => return None,
        }
    }
    if !wild || numbers.is_empty() || numbers.len() > 3 {
        return None;
    }
    let position = numbers.len();
    let mut low = [0u64; 4];
    low[..position].copy_from_slice(&numbers);
    let high = raised(&numbers, position);
    if low == [0; 4] {
        return Some(vec![Bound::new(Operator::Less, high)]);
    }
    Some(vec![
        Bound::new(
            Operator::GreaterOrEqual,
            Version::from_numbers(low).with_dev(),
        ),
        Bound::new(Operator::Less, high),
    ])
}

/// `1.0 - 2.0`: from the first (inclusive) to the second; a partial second version takes in
/// everything it starts.
fn hyphen_range(from: &str, to: &str) -> Option<Vec<Bound>> {
    let (_, from_modified) = written_numbers(from)?;
    let mut low = Version::parse(from)?;
    if !from_modified {
        low = low.with_dev();
    }
    let (to_numbers, to_modified) = written_numbers(to)?;
    let high = Version::parse(to)?;
    let upper = if to_numbers.len() >= 3 || to_modified {
        Bound::new(Operator::LessOrEqual, high)
    } else {
        Bound::new(Operator::Less, raised(&to_numbers, to_numbers.len()))
    };
    Some(vec![Bound::new(Operator::GreaterOrEqual, low), upper])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yes(version: &str, constraint: &str) {
        assert_eq!(
            Constraint::satisfies(version, constraint),
            Some(true),
            "{version} should satisfy {constraint}"
        );
    }

    fn no(version: &str, constraint: &str) {
        assert_eq!(
            Constraint::satisfies(version, constraint),
            Some(false),
            "{version} should not satisfy {constraint}"
        );
    }

    #[test]
    fn patch_releases_sit_after_their_version_and_before_the_next() {
        let v = |t: &str| Version::parse(t).expect(t);
        assert!(v("2.4.7") < v("2.4.7-p1"));
        assert!(v("2.4.7-p1") < v("2.4.7-p10"));
        assert!(v("2.4.7-p9") < v("2.4.8"));
        assert!(v("2.4.8-beta1") < v("2.4.8"));
        assert!(v("2.4.8-alpha3") < v("2.4.8-beta1"));
        assert!(v("2.4.8-beta2") < v("2.4.8-RC1"));
        assert!(v("2.4.8-dev") < v("2.4.8-alpha1"));
        assert!(v("1.0.0-beta1-dev") < v("1.0.0-beta1"));
        assert_eq!(v("v2.4"), v("2.4.0.0"));
        assert_eq!(v("2.4.7-p3"), v("2.4.7.0-patch3"));
        assert_eq!(v("2.4.7-pl3"), v("2.4.7-p3"));
        assert_eq!(v("1.0.0-stable"), v("1.0.0"));
        assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
        assert!(Version::parse("dev-main").is_none());
        assert!(Version::parse("2.4.x-dev").is_none());
        assert!(Version::parse("20230101").is_none());
        assert!(Version::parse("latest").is_none());
    }

    /// The Magento ranges of ece-tools' compatibility table.
    #[test]
    fn magento_ranges_read_as_composer_reads_them() {
        yes("2.4.6", ">=2.4.6");
        yes("2.4.6-p3", ">=2.4.6");
        yes("2.4.6-beta1", ">=2.4.6");
        no("2.4.5-p9", ">=2.4.6");
        no("2.4.6", ">=2.4.4 <2.4.6");
        no("2.4.6-p1", ">=2.4.4 <2.4.6");
        yes("2.4.5-p9", ">=2.4.4 <2.4.6");
        yes("2.4.3-p2", ">=2.3.7-p3 <2.4.0 || >=2.4.3-p2 <2.4.6");
        no("2.4.3-p1", ">=2.3.7-p3 <2.4.0 || >=2.4.3-p2 <2.4.6");
        yes("2.3.7-p4", "~2.3.7-p4");
        yes("2.3.8", "~2.3.7-p4");
        no("2.3.7-p3", "~2.3.7-p4");
        no("2.4.0", "~2.3.7-p4");
        yes("2.3.0", ">=2.2.0 <2.2.8 || 2.3.0");
        no("2.3.0-p1", ">=2.2.0 <2.2.8 || 2.3.0");
        yes("2.2.4", "<=2.2.4");
        no("2.2.4-p1", "<=2.2.4");
        yes("2.3.1", ">2.3.0");
        no("2.3.0", ">2.3.0");
        yes("2.0.0", "*");
        yes("2.4.4-p1", "2.4.*");
        no("2.5.0", "2.4.*");
    }

    /// The service ranges of ece-tools' compatibility table and PHP requirements.
    #[test]
    fn service_ranges_read_as_composer_reads_them() {
        yes("10.6", ">=10.6 <10.7");
        no("10.11", ">=10.6 <10.7");
        yes(
            "7.0",
            "~3.2.0 || ~4.0.0 || ~5.0.0 || ~6.0.0 || ~6.2.0 || ~7.0.0",
        );
        no(
            "7.2",
            "~3.2.0 || ~4.0.0 || ~5.0.0 || ~6.0.0 || ~6.2.0 || ~7.0.0",
        );
        yes("1.2", "~1.1.0 || 1.2.*");
        no("2", "~1.1.0 || 1.2.*");
        yes("2", "^2");
        yes("2.11", "^2");
        no("3", "^2");
        yes("1.21", "^1.9.0");
        no("1.8", "^1.9.0");
        yes("0.3.5", "^0.3");
        no("0.4.0", "^0.3");
        yes("8.1.27", "~7.4.0||~8.1.0");
        no("8.2.0", "~7.4.0||~8.1.0");
        yes("7.4.33", "~7.3.0|~7.4.0");
        yes("8.3.1", ">=7.4, <9");
        yes("8.3.1", ">= 7.4 < 9");
        no("9.0.0", ">= 7.4 < 9");
        yes("5.0", "~5.0");
        yes("5.9", "~5.0");
        no("6.0", "~5.0");
        yes("7.2.1", "7.1 - 7.3");
        no("7.4.0", "7.1 - 7.3");
        yes("7.3.5", "7.1.0 - 7.3.5");
        no("7.3.6", "7.1.0 - 7.3.5");
        yes("8.1.0", "8.1.x");
        yes("1.0.0", "!=2.0");
        yes("8.2.0", "^8.1@dev");
    }

    #[test]
    fn unreadable_constraints_and_versions_are_none() {
        assert_eq!(Constraint::satisfies("8.1", "dev-main"), None);
        assert_eq!(Constraint::satisfies("8.1", "~>1.0"), None);
        assert_eq!(Constraint::satisfies("8.1", ""), None);
        assert_eq!(Constraint::satisfies("8.1", "foo"), None);
        assert_eq!(Constraint::satisfies("latest", ">=1"), None);
    }
}
