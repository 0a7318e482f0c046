//! Constraints, read the way composer/semver reads them (see the module above).

use super::version::Version;
use std::cmp::Ordering;

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
