//! The `.magento.env.yaml` files of a fleet, each checked once against the ece-tools schema its
//! project runs (`ece_schema::choose`: the installed ece-tools' schema, else the release its
//! sibling composer.lock pins, else the newest): the schema depends on sibling files, so the
//! check runs here, where the whole fleet is known, and not in the per-file stage. SCH001-SCH003
//! report its findings, E003 a vendor schema that cannot be read.

use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::discover::FileKind;
use crate::ece_schema::{self, EnvYamlCheck};
use crate::model::Fleet;
use crate::rules::RuleMeta;
use crate::run::EceToolsSchema;
use crate::schema::Problem;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Every wanted `.magento.env.yaml` of the fleet, checked (once per fleet).
pub fn checks<'f>(fleet: &'f Fleet<'_>) -> &'f [EnvYamlCheck] {
    fleet.env_yaml_checks.get_or_init(|| check_all(fleet))
}

fn check_all(fleet: &Fleet<'_>) -> Vec<EnvYamlCheck> {
    let files = fleet.files;
    let owner: HashMap<FileId, usize> = fleet
        .installations
        .iter()
        .enumerate()
        .filter_map(|(index, i)| Some((i.env_yaml?, index)))
        .collect();
    let parent = |id: FileId| files[id].source.path.parent().unwrap_or(Path::new(""));
    let locks: HashMap<&Path, FileId> = (0..files.len())
        .filter(|&id| files[id].source.kind == FileKind::ComposerLock && files[id].facts.is_some())
        .map(|id| (parent(id), id))
        .collect();
    // The editor asks about some installations only; a file outside every installation is
    // always checked (it is cheap, and nothing says whose it is).
    let wanted: Vec<FileId> = (0..files.len())
        .filter(|&id| {
            files[id].source.kind == FileKind::MagentoEnvYaml && files[id].facts.is_some()
        })
        .filter(|id| owner.get(id).is_none_or(|&index| fleet.in_focus(index)))
        .collect();
    wanted
        .par_iter()
        .filter_map(|&file| {
            let root = &files[file].facts.as_ref()?.root;
            let dir = parent(file);
            let lock = locks
                .get(dir)
                .and_then(|&id| files[id].facts.as_ref())
                .map(|facts| &facts.root);
            let choice = ece_schema::choose(dir, lock);
            let findings = ece_schema::validate(&choice, root);
            Some(EnvYamlCheck {
                file,
                choice,
                findings,
            })
        })
        .collect()
}

/// Reports the findings of one problem as `rule`'s diagnostics.
pub fn push_findings(
    fleet: &Fleet<'_>,
    problem: Problem,
    rule: &'static RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    for check in checks(fleet) {
        for found in check.findings.iter().filter(|f| f.problem == problem) {
            let location =
                Location::new(check.file, found.span).with_pointer(found.pointer.clone());
            let mut diagnostic = Diagnostic::new(rule, location, found.message.clone());
            diagnostic.help = found.help.clone();
            if let Some(severity) = found.severity {
                diagnostic.severity = severity;
            }
            out.push(diagnostic);
        }
    }
}

/// Reports each installed ece-tools schema that cannot be read, on the `.magento.env.yaml` it
/// was to check, as `rule`'s diagnostics.
pub fn push_vendor_problems(fleet: &Fleet<'_>, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
    for check in checks(fleet) {
        if let Some(problem) = &check.choice.vendor_problem {
            let start = crate::syntax::Span::empty_at(0);
            out.push(
                Diagnostic::new(
                    rule,
                    Location::new(check.file, start),
                    format!(
                        "{} beside this file cannot be read ({problem}); it was checked with the bundled schema of {} instead",
                        ece_schema::VENDOR_SCHEMA,
                        check.choice.describe()
                    ),
                )
                .help("ece-tools reads that file in the build: a broken one stops it; run `composer install` again"),
            );
        }
    }
}

/// Which schema checked each `.magento.env.yaml`, and why (for the report).
pub fn summaries(fleet: &Fleet<'_>) -> Vec<EceToolsSchema> {
    let mut all: Vec<EceToolsSchema> = checks(fleet)
        .iter()
        .map(|check| {
            let choice = &check.choice;
            EceToolsSchema {
                file: check.file,
                generation: choice.schema().generation.clone(),
                version: choice.release().map(|v| v.to_string()),
                reason: choice.reason.clone(),
                schema: match choice.is_installed() {
                    true => ece_schema::VENDOR_SCHEMA.to_string(),
                    false => "bundled".to_string(),
                },
            }
        })
        .collect();
    all.sort_by_key(|s| s.file);
    all
}
