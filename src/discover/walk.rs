//! The walk of one directory: which directories are entered (the ignore rules, the skipped
//! directories), which files are kept (config files by name, whatever the ignore rules say of
//! them), and what the git statuses of the files are later decided from (`Listed`).

use super::{classify, walked_names, SourcePath, WalkOptions, WalkProblem, WALKED_NAMES};
use crate::git::{GitStatus, Ignores, Listed};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Directories never walked into unless `--no-ignore`: dependencies and generated output.
const SKIPPED_DIRS: &[&str] = &["vendor", "generated", "var", "node_modules", ".git"];

/// Walks `root`: its config files into `files`, its problems into `problems`, what it saw of
/// ignore files and repositories into `listed`.
pub(super) fn walk_dir(
    root: &Path,
    options: &WalkOptions,
    files: &mut Vec<SourcePath>,
    problems: &mut Vec<WalkProblem>,
    listed: &mut Listed,
) {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(true)
        // Respect .gitignore even when the tree is not (yet) a git checkout, e.g. a fixture.
        .require_git(false)
        .git_global(false)
        .git_ignore(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .ignore(!options.no_ignore)
        .parents(!options.no_ignore);
    // Config files (and the ignore files and repository markers) are walked whatever the
    // ignore rules say of them; no other file is of interest. A whitelist leaves directories
    // it does not name to the ignore rules, so those still decide which are walked.
    let mut names = ignore::overrides::OverrideBuilder::new(root);
    for name in WALKED_NAMES {
        // Fixed globs (a test builds them); one that would not parse is only not whitelisted.
        let _ = names.add(name);
    }
    if let Ok(names) = names.build() {
        builder.overrides(names);
    }
    let no_ignore = options.no_ignore;
    let absolute = Absolute {
        root: root.to_path_buf(),
        absolute_root: crate::git::absolute(root),
    };
    // Repository roots: `.git` directories never reach the visitor below.
    let repositories = Arc::new(Mutex::new(Vec::new()));
    let (seen_repositories, to_absolute) = (repositories.clone(), absolute.clone());
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        let name = entry.file_name().to_string_lossy();
        if name == ".git" {
            if let Some(parent) = entry.path().parent() {
                let mut found = seen_repositories.lock().unwrap_or_else(|e| e.into_inner());
                found.push(to_absolute.of(parent));
            }
            return false;
        }
        if no_ignore {
            return true;
        }
        if SKIPPED_DIRS.contains(&name.as_ref()) {
            return false;
        }
        // pub/static holds deployed assets, never configuration.
        !(name == "static" && entry.path().parent().is_some_and(|p| p.ends_with("pub")))
    });
    // A directory whose name is whitelisted above is judged in `visit`: rare, so its rules are
    // read from disk.
    let probe = Ignores::default();
    // Directory reads dominate on large trees: walk on every core, then order by path (the
    // caller sorts files; problems are sorted here) so output never depends on scheduling.
    // Each walking thread keeps what it finds and hands it over once, when the walk drops it.
    let found = Mutex::new(Found::default());
    let (absolute, probe) = (&absolute, &probe);
    builder.build_parallel().run(|| {
        let mut mine = ThreadFound {
            found: Found::default(),
            into: &found,
        };
        Box::new(move |result| match result {
            Ok(entry) => visit(entry, absolute, no_ignore, probe, &mut mine.found),
            Err(error) => {
                mine.found.problems.push(walk_problem(root, &error));
                ignore::WalkState::Continue
            }
        })
    });
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.problems.sort_by(|a: &WalkProblem, b: &WalkProblem| {
        (&a.path, &a.message).cmp(&(&b.path, &b.message))
    });
    files.append(&mut found.files);
    problems.append(&mut found.problems);
    let repositories = std::mem::take(&mut *repositories.lock().unwrap_or_else(|e| e.into_inner()));
    found
        .listed
        .repositories
        .extend(repositories.into_iter().map(|dir| (dir, true)));
    merge(listed, found.listed);
}

fn merge(into: &mut Listed, from: Listed) {
    into.dirs.extend(from.dirs);
    into.gitignores.extend(from.gitignores);
    into.dot_ignores.extend(from.dot_ignores);
    into.repositories.extend(from.repositories);
}

/// Walked paths made absolute and normal (the form the ignore rules are matched in) without a
/// system call each: the root is made absolute once.
#[derive(Clone)]
struct Absolute {
    root: PathBuf,
    absolute_root: PathBuf,
}

impl Absolute {
    fn of(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.root) {
            Ok(relative) if relative.as_os_str().is_empty() => self.absolute_root.clone(),
            Ok(relative) => self.absolute_root.join(relative),
            Err(_) => crate::git::absolute(path),
        }
    }
}

/// What the walk's visitor found on one or more entries.
#[derive(Default)]
struct Found {
    files: Vec<SourcePath>,
    problems: Vec<WalkProblem>,
    listed: Listed,
}

impl Found {
    fn append(&mut self, other: Found) {
        self.files.extend(other.files);
        self.problems.extend(other.problems);
        merge(&mut self.listed, other.listed);
    }
}

/// What one walking thread found, handed over when the walk drops its visitor.
struct ThreadFound<'a> {
    found: Found,
    into: &'a Mutex<Found>,
}

impl Drop for ThreadFound<'_> {
    fn drop(&mut self) {
        // A poisoned lock only means another walker thread panicked; keep its data.
        let mut all = self.into.lock().unwrap_or_else(|e| e.into_inner());
        all.append(std::mem::take(&mut self.found));
    }
}

/// One walked entry: a directory is noted as listed (or skipped, if its whitelisted name got
/// it past the ignore rules that exclude it), an ignore file or repository marker is noted, a
/// config file is kept.
fn visit(
    entry: ignore::DirEntry,
    absolute: &Absolute,
    no_ignore: bool,
    probe: &Ignores,
    found: &mut Found,
) -> ignore::WalkState {
    let Some(file_type) = entry.file_type() else {
        return ignore::WalkState::Continue;
    };
    if file_type.is_dir() {
        let path = absolute.of(entry.path());
        // Every whitelisted name has a dot: most directory names are ruled out without a match.
        let name = entry.file_name();
        let whitelisted = entry.depth() > 0
            && name.as_encoded_bytes().contains(&b'.')
            && walked_names().is_match(name);
        if whitelisted && !no_ignore {
            let verdict = probe.judge(&path, true);
            if verdict.git_ignored || verdict.dot_ignored {
                return ignore::WalkState::Skip;
            }
        }
        found.listed.dirs.insert(path);
        return ignore::WalkState::Continue;
    }
    let name = entry.file_name();
    if name == ".gitignore" || name == ".ignore" || name == ".git" {
        if let Some(dir) = entry.path().parent() {
            let dir = absolute.of(dir);
            if name == ".gitignore" {
                found.listed.gitignores.insert(dir);
            } else if name == ".ignore" {
                found.listed.dot_ignores.insert(dir);
            } else {
                // A `.git` file: a worktree's or a submodule's root.
                found.listed.repositories.insert(dir, false);
            }
        }
        return ignore::WalkState::Continue;
    }
    // Not only regular files: a FIFO or socket with a config file's name is reported (E003)
    // rather than silently skipped; read_text never opens it.
    if let Some((kind, format)) = classify(entry.path()) {
        found.files.push(SourcePath {
            path: entry.into_path(),
            kind,
            format,
            explicit: false,
            git: GitStatus::default(),
        });
    }
    ignore::WalkState::Continue
}

fn walk_problem(root: &Path, error: &ignore::Error) -> WalkProblem {
    let path = error_path(error).unwrap_or_else(|| root.to_path_buf());
    let message = match error.io_error() {
        Some(io) => io.to_string(),
        None => strip_path_prefix(&error.to_string()),
    };
    WalkProblem { path, message }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

fn strip_path_prefix(message: &str) -> String {
    message
        .rsplit_once(": ")
        .map_or(message, |(_, rest)| rest)
        .to_string()
}
