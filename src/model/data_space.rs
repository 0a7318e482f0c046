//! What the fleet says about each data space: its type, who uses it, which project it is in.

use super::DataSpaceKind;
use crate::diagnostic::Location;

/// How much a piece of type evidence weighs; the strongest wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A production site connects to it, so it is used as the production data space.
    UsedByProduction,
    /// `services_id/environment` written next to the id (Magento writes it from Adobe's registry).
    Written,
    /// Declared in `.magelint.yaml` `data-spaces`.
    Declared,
}

/// One statement of a data space's type.
#[derive(Clone, Debug)]
pub struct DataSpaceEvidence {
    pub kind: DataSpaceKind,
    /// Why, in words: see `reason`.
    pub why: Why,
    pub location: Location,
    pub strength: Strength,
}

/// What a piece of evidence says, put in words only when a message quotes it: every site of a
/// fleet states its data space's type, few of those statements are ever printed.
#[derive(Clone, Debug)]
pub enum Why {
    Text(String),
    /// `services_id/environment` is written as `value` (at the evidence's location).
    Written {
        value: compact_str::CompactString,
    },
    /// The production site with this index uses the data space.
    UsedBySite(usize),
}

impl DataSpaceEvidence {
    /// Why, in words ("services_id/environment is `Production` in env.php:12").
    pub fn reason(&self, fleet: &super::Fleet<'_>) -> String {
        match &self.why {
            Why::Text(text) => text.clone(),
            Why::Written { value } => format!(
                "services_id/environment is `{value}` in {}",
                fleet.describe(&self.location)
            ),
            Why::UsedBySite(site) => format!(
                "the production site {} uses it",
                fleet.sites.get(*site).map_or("?", |s| s.name.as_str())
            ),
        }
    }

    /// Whether it states the type explicitly (as opposed to inferring it from use).
    pub fn is_explicit(&self) -> bool {
        self.strength != Strength::UsedByProduction
    }
}

/// Everything known about one data space id.
#[derive(Clone, Debug, Default)]
pub struct DataSpaceFacts {
    pub id: String,
    pub evidence: Vec<DataSpaceEvidence>,
    /// Indexes of the sites connected to it.
    pub sites: Vec<usize>,
    /// SaaS project ids it belongs to, each once, with where it is first written (readers
    /// want the distinct ids; one entry per site would grow with the fleet).
    pub projects: Vec<(String, Location)>,
}

impl DataSpaceFacts {
    /// The type, from the strongest evidence. Among equally strong statements that disagree,
    /// Production wins (a data space anyone states Production must be guarded as one; the
    /// other statement is the contradiction MS014 reports), then the first in path order.
    pub fn kind(&self) -> Option<&DataSpaceEvidence> {
        let best = self.evidence.iter().map(|e| e.strength).max()?;
        let strongest = || self.evidence.iter().filter(move |e| e.strength == best);
        strongest()
            .find(|e| e.kind == DataSpaceKind::Production)
            .or_else(|| strongest().next())
    }

    pub fn add_evidence(&mut self, evidence: DataSpaceEvidence) {
        if !self
            .evidence
            .iter()
            .any(|e| e.location == evidence.location)
        {
            self.evidence.push(evidence);
        }
    }

    pub fn add_project(&mut self, project: String, location: Location) {
        if !self.projects.iter().any(|(p, _)| *p == project) {
            self.projects.push((project, location));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    fn written(kind: DataSpaceKind, file: usize) -> DataSpaceEvidence {
        DataSpaceEvidence {
            kind,
            why: Why::Text(String::new()),
            location: Location::new(file, Span::default()),
            strength: Strength::Written,
        }
    }

    #[test]
    fn production_wins_among_equals_whatever_the_order_and_strength_first() {
        for order in [[0, 1], [1, 0]] {
            let mut facts = DataSpaceFacts::default();
            let statements = [
                written(DataSpaceKind::Testing, 0),
                written(DataSpaceKind::Production, 1),
            ];
            for i in order {
                facts.add_evidence(statements[i].clone());
            }
            let kind = facts.kind().expect("has evidence");
            assert_eq!(
                (kind.kind, kind.location.file),
                (DataSpaceKind::Production, 1)
            );
        }
        let mut facts = DataSpaceFacts::default();
        facts.add_evidence(written(DataSpaceKind::Testing, 0));
        facts.add_evidence(written(DataSpaceKind::Testing, 2));
        assert_eq!(
            facts.kind().map(|e| e.location.file),
            Some(0),
            "first among equals"
        );
        facts.add_evidence(DataSpaceEvidence {
            strength: Strength::Declared,
            ..written(DataSpaceKind::Testing, 3)
        });
        facts.add_evidence(written(DataSpaceKind::Production, 4));
        let kind = facts.kind().expect("has evidence");
        assert_eq!(
            (kind.kind, kind.location.file),
            (DataSpaceKind::Testing, 3),
            "declared wins"
        );
    }

    #[test]
    fn projects_are_kept_once_each_with_their_first_place() {
        let mut facts = DataSpaceFacts::default();
        facts.add_project("p1".into(), Location::new(0, Span::default()));
        facts.add_project("p2".into(), Location::new(1, Span::default()));
        facts.add_project("p1".into(), Location::new(2, Span::default()));
        let kept: Vec<(&str, usize)> = facts
            .projects
            .iter()
            .map(|(p, l)| (p.as_str(), l.file))
            .collect();
        assert_eq!(kept, [("p1", 0), ("p2", 1)]);
    }
}
