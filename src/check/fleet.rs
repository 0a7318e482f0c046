//! The fleet stage: the facts of all files → the model (installations, sites, data spaces) →
//! site and fleet rules.

use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Site};
use crate::rules::Registered;
use crate::syntax::Span;
use rayon::prelude::*;

/// Runs the site rules on the sites `wanted` accepts and every fleet rule over `fleet`, in the
/// order of a rule-by-rule run: per rule, its findings in site order, then its fleet findings.
pub fn check(
    fleet: &Fleet<'_>,
    rules: &[&Registered],
    wanted: &(dyn Fn(&Site) -> bool + Sync),
) -> Vec<Diagnostic> {
    check_attributed(fleet, rules, wanted)
        .into_iter()
        .map(|(_, diagnostic)| diagnostic)
        .collect()
}

/// `check`, each finding with the index of the site whose site rule found it (`None`: a fleet
/// rule's finding): `magelint map` puts findings on the sites they are about.
pub fn check_attributed(
    fleet: &Fleet<'_>,
    rules: &[&Registered],
    wanted: &(dyn Fn(&Site) -> bool + Sync),
) -> Vec<(Option<usize>, Diagnostic)> {
    // One pass over the sites runs every site rule, beside the fleet rules (each on its own):
    // both cores stay busy, and the sites are not walked once per rule.
    let (per_site, per_fleet_rule) = super::in_worker_pool(|| {
        rayon::join(
            || {
                fleet
                    .sites
                    .par_iter()
                    .enumerate()
                    .filter(|(_, s)| s.foreign.is_none() && wanted(s))
                    .map(|(index, site)| (index, site_findings(site, fleet, rules)))
                    .collect::<Vec<_>>()
            },
            || {
                rules
                    .par_iter()
                    .map(|rule| {
                        let mut found = Vec::new();
                        rule.rule.check_fleet(fleet, &mut found);
                        found
                    })
                    .collect::<Vec<_>>()
            },
        )
    });
    let mut by_rule: Vec<Vec<(Option<usize>, Diagnostic)>> =
        rules.iter().map(|_| Vec::new()).collect();
    for (site, found) in per_site {
        for (rule, diagnostic) in found {
            by_rule[rule].push((Some(site), diagnostic));
        }
    }
    for found in &mut by_rule {
        drop_repeats(found);
    }
    let found = by_rule.iter().map(Vec::len).sum::<usize>()
        + per_fleet_rule.iter().map(Vec::len).sum::<usize>();
    let mut diagnostics = Vec::with_capacity(found);
    for (site_found, fleet_found) in by_rule.into_iter().zip(per_fleet_rule) {
        diagnostics.extend(site_found);
        diagnostics.extend(fleet_found.into_iter().map(|d| (None, d)));
    }
    // A file git ignores is never committed: rules about what a repository holds have
    // nothing to say of it (it still counts as a site for every other rule).
    diagnostics.retain(|(_, d)| !(d.rule.about_repository && in_ignored_file(fleet, d)));
    diagnostics
}

/// Keeps the first of identical findings. Every site of an installation sees its config.php,
/// so a site rule's finding resting on it alone comes once per site that sees the same values,
/// word for word ("every site of `shop`"): reported once, by whichever site found it first,
/// it is still reported when the first site overrides the value in its own env file.
fn drop_repeats(found: &mut Vec<(Option<usize>, Diagnostic)>) {
    if found.len() < 2 {
        return;
    }
    // Candidates by place; whole findings are compared only among those at one place.
    let mut kept: std::collections::HashMap<(usize, Span), Vec<usize>> =
        std::collections::HashMap::new();
    let mut keep = Vec::with_capacity(found.len());
    for (index, (_, diagnostic)) in found.iter().enumerate() {
        let place = (diagnostic.location.file, diagnostic.location.span);
        let same_place = kept.entry(place).or_default();
        let repeat = same_place.iter().any(|&k| found[k].1 == *diagnostic);
        if !repeat {
            same_place.push(index);
        }
        keep.push(!repeat);
    }
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
}

fn in_ignored_file(fleet: &Fleet<'_>, diagnostic: &Diagnostic) -> bool {
    fleet
        .files
        .get(diagnostic.location.file)
        .is_some_and(|f| f.source.git == crate::git::GitStatus::Ignored)
}

/// What every site rule finds on one site, each finding with the index of its rule in `rules`.
fn site_findings(
    site: &Site,
    fleet: &Fleet<'_>,
    rules: &[&Registered],
) -> Vec<(usize, Diagnostic)> {
    let mut found = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        // A list of its own per rule, as rules see when run one by one (an empty one costs
        // no allocation).
        let mut out = Vec::new();
        rule.rule.check_site(site, fleet, &mut out);
        found.extend(out.into_iter().map(|d| (index, d)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn finding(site: usize, file: usize, start: u32, message: &str) -> (Option<usize>, Diagnostic) {
        let rule = crate::rules::meta("MS011").expect("MS011 is registered");
        let span = Span {
            start,
            end: start + 4,
        };
        (
            Some(site),
            Diagnostic::new(rule, Location::new(file, span), message),
        )
    }

    #[test]
    fn identical_findings_are_kept_once_and_others_kept_in_order() {
        let mut found = vec![
            finding(0, 1, 10, "every site of shop"),
            finding(1, 1, 10, "every site of shop"),
            finding(1, 1, 10, "site env.staging.php"),
            finding(2, 2, 10, "every site of shop"),
            finding(2, 1, 20, "every site of shop"),
            finding(3, 1, 10, "every site of shop"),
        ];
        drop_repeats(&mut found);
        let kept: Vec<(Option<usize>, usize, u32, &str)> = found
            .iter()
            .map(|(site, d)| {
                (
                    *site,
                    d.location.file,
                    d.location.span.start,
                    d.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                (Some(0), 1, 10, "every site of shop"),
                (Some(1), 1, 10, "site env.staging.php"),
                (Some(2), 2, 10, "every site of shop"),
                (Some(2), 1, 20, "every site of shop"),
            ]
        );
    }

    /// The editor asks only about the installations an open file belongs to (`Fleet::focus`):
    /// every fleet rule must then leave the others alone, or each keystroke costs a pass over
    /// the whole workspace. On every rule's firing fixtures, with nothing in focus, no rule
    /// finds anything; with everything in focus, the fleet rules do.
    #[test]
    fn fleet_rules_ask_only_about_installations_in_focus() {
        let rules: Vec<&Registered> = crate::rules::RULES.iter().collect();
        let cases = super::super::firing_fixtures();
        let (mut asked, mut failures) = (0, Vec::new());
        for case in &cases {
            let options = crate::options::LintOptions {
                paths: vec![case.clone()],
                ..crate::options::LintOptions::default()
            };
            let (sources, _) = crate::lint::discover_sources(&options);
            let inputs = sources
                .into_iter()
                .map(|source| crate::run::Input { source, text: None })
                .collect();
            let report = crate::lint::lint_inputs(inputs, &options);
            let fleet = crate::model::resolve(&report.files, &options.base_dir);
            let everything = check(&fleet, &rules, &|_| false);
            asked += usize::from(!everything.is_empty());
            // A fresh model: the ece-tools checks are kept in it once made.
            let mut fleet = crate::model::resolve(&report.files, &options.base_dir);
            fleet.focus = Some(vec![false; fleet.installations.len()]);
            // A file of no installation (a lone .magento.env.yaml) is in every focus.
            let owned = |d: &Diagnostic| {
                fleet
                    .installations
                    .iter()
                    .any(|i| i.files().any(|f| f == d.location.file))
            };
            let outside = check(&fleet, &rules, &|_| false);
            // MS005 and MS014 weigh a project's or a data space's statements across the fleet,
            // one pass over the data spaces whatever the focus (the editor keeps the subject's).
            let fleet_wide = |d: &Diagnostic| ["MS005", "MS014"].contains(&d.rule.code);
            if let Some(first) = outside.iter().find(|d| owned(d) && !fleet_wide(d)) {
                failures.push(format!(
                    "{}: {} {}",
                    case.display(),
                    first.rule.code,
                    first.message
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // The fixtures do give the fleet rules something to find.
        assert!(
            asked > 20,
            "fleet rules fired on {asked} of {} fixtures",
            cases.len()
        );
    }
}
