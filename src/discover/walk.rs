//! The walk of one directory: which directories are entered (the ignore rules, as `git`
//! reads them, and the skipped directories) and which files are kept (config files by name,
//! whatever the ignore rules say of them: their status is decided later, from the same rules).

use super::{classify, SourcePath, WalkOptions, WalkProblem};
use crate::git::{GitStatus, Ignores, Index};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Directories never walked into unless `--no-ignore`: dependencies and generated output.
const SKIPPED_DIRS: &[&str] = &["vendor", "generated", "var", "node_modules", ".git"];

/// Walks `root`: its config files into `files`, its problems into `problems`. `ignores` reads
/// each directory's ignore files as the walk meets it, and keeps them for the statuses.
pub(super) fn walk_dir(
    root: &Path,
    options: &WalkOptions,
    ignores: &Arc<Ignores>,
    index: &Arc<Index>,
    files: &mut Vec<SourcePath>,
    problems: &mut Vec<WalkProblem>,
) {
    let mut builder = ignore::WalkBuilder::new(root);
    // The ignore rules are applied below, to directories only: a Magento config file is read
    // by its name even when git ignores it (the local app/etc/env.php is the site).
    builder
        .hidden(false)
        .follow_links(true)
        .git_global(false)
        .git_ignore(false)
        .git_exclude(false)
        .ignore(false)
        .parents(false);
    let no_ignore = options.no_ignore;
    let absolute = Absolute {
        root: root.to_path_buf(),
        absolute_root: crate::git::absolute(root),
    };
    let rules = ignores.clone();
    let index = index.clone();
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        let name = entry.file_name().to_string_lossy();
        if name == ".git" {
            return false;
        }
        if no_ignore {
            return true;
        }
        if SKIPPED_DIRS.contains(&name.as_ref()) {
            return false;
        }
        // pub/static holds deployed assets, never configuration.
        if name == "static" && entry.path().parent().is_some_and(|p| p.ends_with("pub")) {
            return false;
        }
        // `.gitignore` (up to the repository's root, also outside a git checkout, e.g. a
        // fixture), the repository's info/exclude and `.ignore` files decide.
        let dir = absolute.of(entry.path());
        let verdict = rules.judge(&dir, true);
        if verdict.dot_ignored {
            return false;
        }
        // An ignored directory is still entered for the files git tracks in it.
        !verdict.git_ignored
            || verdict
                .repository
                .as_ref()
                .is_some_and(|repository| index.holds_tracked(repository, &dir))
    });
    // Directory reads dominate on large trees: walk on every core, then order by path (the
    // caller sorts files; problems are sorted here) so output never depends on scheduling.
    // Each walking thread keeps what it finds and hands it over once, when the walk drops it.
    let found = Mutex::new(Found::default());
    builder.build_parallel().run(|| {
        let mut mine = ThreadFound {
            found: Found::default(),
            into: &found,
        };
        Box::new(move |result| {
            match result {
                Ok(entry) => visit(entry, &mut mine.found),
                Err(error) => mine.found.problems.push(walk_problem(root, &error)),
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.problems.sort_by(|a: &WalkProblem, b: &WalkProblem| {
        (&a.path, &a.message).cmp(&(&b.path, &b.message))
    });
    files.append(&mut found.files);
    problems.append(&mut found.problems);
}

/// Walked paths made absolute and normal (the form the ignore rules are matched in) without a
/// system call each: the root is made absolute once.
struct Absolute {
    root: PathBuf,
    absolute_root: PathBuf,
}

impl Absolute {
    fn of(&self, path: &Path) -> PathBuf {
        // The walk joins names onto the root as given: its text is a prefix of every path
        // (cut as text; `strip_prefix` compares component by component).
        if let (Some(path), Some(root)) = (path.to_str(), self.root.to_str()) {
            if let Some(rest) = path.strip_prefix(root) {
                if rest.is_empty() {
                    return self.absolute_root.clone();
                }
                if let Some(rest) = rest.strip_prefix('/') {
                    return self.absolute_root.join(rest);
                }
            }
        }
        match path.strip_prefix(&self.root) {
            Ok(relative) if relative.as_os_str().is_empty() => self.absolute_root.clone(),
            Ok(relative) => self.absolute_root.join(relative),
            Err(_) => crate::git::absolute(path),
        }
    }
}

/// What the walk's visitor found.
#[derive(Default)]
struct Found {
    files: Vec<SourcePath>,
    problems: Vec<WalkProblem>,
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
        all.files.append(&mut self.found.files);
        all.problems.append(&mut self.found.problems);
    }
}

/// One walked entry: a config file is kept.
fn visit(entry: ignore::DirEntry, found: &mut Found) {
    // Not only regular files: a FIFO or socket with a config file's name is reported (E003)
    // rather than silently skipped; read_text never opens it.
    if entry.file_type().is_none_or(|t| t.is_dir()) {
        return;
    }
    if let Some((kind, format)) = classify(entry.path()) {
        found.files.push(SourcePath {
            path: entry.into_path(),
            kind,
            format,
            explicit: false,
            git: GitStatus::default(),
        });
    }
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
