//! sources: which files a run lints. The walk of the paths given (discover), minus what the
//! configuration excludes, plus the `.magelint.yaml` that applies and the footprints of other
//! repositories.

use crate::discover::{discover, FileKind, Format, SourcePath, WalkProblem};
use crate::options::LintOptions;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Finds the files `lint` would read for the paths of `options`: walked files minus config
/// excludes, the applicable `.magelint.yaml` and the footprints; plus the walk problems.
pub fn discover_sources(options: &LintOptions) -> (Vec<SourcePath>, Vec<WalkProblem>) {
    let (mut sources, problems) = discover(&options.paths, &options.walk);
    sources.retain(|s| s.explicit || !is_excluded(&s.path, options));
    match &options.config_file {
        Some(config) => add_config(&mut sources, config),
        None => add_enclosing_configs(&mut sources, &options.paths),
    }
    sources.extend(options.footprints.iter().map(|path| SourcePath {
        path: path.clone(),
        kind: FileKind::Footprint,
        format: Format::Json,
        explicit: true,
        git: Default::default(),
    }));
    (sources, problems)
}

fn is_excluded(path: &Path, options: &LintOptions) -> bool {
    if options.exclude.is_empty() {
        return false;
    }
    let shown = display_path(path, &options.base_dir);
    options.exclude.iter().any(|e| {
        let relative = shown
            .strip_prefix(&e.base)
            .map_or(shown.as_str(), |p| p.trim_start_matches('/'));
        e.globs.is_match(relative)
    })
}

fn add_config(sources: &mut Vec<SourcePath>, config: &Path) {
    let canonical = std::fs::canonicalize(config).ok();
    if !sources
        .iter()
        .any(|s| std::fs::canonicalize(&s.path).ok() == canonical)
    {
        sources.push(SourcePath {
            path: config.to_path_buf(),
            kind: FileKind::MagelintConfig,
            format: Format::Yaml,
            explicit: true,
            git: Default::default(),
        });
    }
}

/// Adds the nearest `.magelint.yaml` above each given path, so declarations apply when only a
/// sub-directory or one file is linted.
fn add_enclosing_configs(sources: &mut Vec<SourcePath>, roots: &[PathBuf]) {
    // Many roots (a pre-commit hook passes every file) share their directories: look at each
    // directory once. A root discovery took as a file needs no second look at the disk.
    let files: std::collections::HashSet<&Path> = sources
        .iter()
        .filter(|s| s.explicit)
        .map(|s| s.path.as_path())
        .collect();
    let mut starts: Vec<&Path> = roots
        .iter()
        .map(|root| {
            if !files.contains(root.as_path()) && root.is_dir() {
                root.as_path()
            } else {
                root.parent().unwrap_or(Path::new(""))
            }
        })
        .collect();
    starts.sort();
    starts.dedup();
    let config_in = |dir: &Path| {
        [".magelint.yaml", ".magelint.yml"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    // Each start directory itself is looked at on every core (the common case: a pre-commit
    // hook passing a thousand files); their ancestors, which they share, once each below.
    let starts: Vec<(PathBuf, Option<PathBuf>)> = starts
        .par_iter()
        .map(|start| {
            let start = if start.as_os_str().is_empty() {
                Path::new(".")
            } else {
                start
            };
            // The path as written, made absolute (no link resolved: `canonicalize` costs a
            // readlink per component and per root); the config found is resolved once below.
            let absolute = std::path::absolute(start)
                .map(|a| crate::config::normalize(&a))
                .unwrap_or_else(|_| start.to_path_buf());
            let here = config_in(&absolute);
            (absolute, here)
        })
        .collect();
    let mut looked: std::collections::HashMap<PathBuf, Option<PathBuf>> = Default::default();
    for (dir, here) in &starts {
        if here.is_some() {
            looked.insert(dir.clone(), here.clone());
        }
    }
    let mut configs = std::collections::BTreeSet::new();
    for (absolute, here) in &starts {
        if here.is_some() {
            configs.extend(here.clone());
            continue;
        }
        let mut found = None;
        let mut visited = Vec::new();
        for dir in absolute.ancestors().skip(1) {
            if let Some(known) = looked.get(dir) {
                found = known.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            found = config_in(dir);
            if found.is_some() {
                break;
            }
        }
        for dir in visited {
            looked.insert(dir, found.clone());
        }
        configs.extend(found);
    }
    for found in configs {
        let found = std::fs::canonicalize(&found).unwrap_or(found);
        // Only a source of that name can be the same file (canonicalize costs syscalls).
        let known = sources.iter().any(|s| {
            s.path.file_name() == found.file_name()
                && std::fs::canonicalize(&s.path).ok().as_ref() == Some(&found)
        });
        if !known {
            sources.push(SourcePath {
                path: relative_to_cwd(&found),
                kind: FileKind::MagelintConfig,
                format: Format::Yaml,
                explicit: false,
                git: Default::default(),
            });
        }
    }
}

fn relative_to_cwd(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    cwd.and_then(|c| path.strip_prefix(&c).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

pub use crate::discover::display_path;
