//! git: where each file stands in git — tracked, untracked or ignored.
//!
//! The rules about what a repository holds (MS008, MS009, MS017) never judge an ignored file,
//! `--committed-only` leaves ignored files out, and the JSON report shows each file's status.
//!
//! A file in its repository's index is tracked, whatever the ignore rules say. Otherwise it is
//! ignored when git's ignore rules match it (or one of its directories): the `.gitignore`
//! files from its directory up to the root of its repository, then the repository's
//! `info/exclude`. Outside a repository the `.gitignore` files still count, as they do for the
//! walk: a file they match is one a `git add` would leave out, so it is reported as ignored.
//! The user's global excludes file is not read (the walk does not read it either).

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where a file stands in git.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitStatus {
    /// In the index of its repository: committed, or staged to be.
    Tracked,
    /// Neither in the index nor ignored: a `git add` would take it.
    #[default]
    Untracked,
    /// Matched by git's ignore rules and not in the index: never committed.
    Ignored,
}

impl GitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GitStatus::Tracked => "tracked",
            GitStatus::Untracked => "untracked",
            GitStatus::Ignored => "ignored",
        }
    }
}

/// The ignore files of one directory.
#[derive(Default)]
struct DirRules {
    gitignore: Option<Arc<Gitignore>>,
    dot_ignore: Option<Arc<Gitignore>>,
    /// `Some` when the directory is a repository's root: its `info/exclude`, if any.
    repository: Option<Option<Arc<Gitignore>>>,
}

/// The ignore rules in force in one directory, nearest first.
#[derive(Default)]
pub struct Chain {
    /// `.ignore` files, all the way up.
    dot_ignores: Vec<Arc<Gitignore>>,
    /// `.gitignore` files up to the repository's root, then its `info/exclude`.
    git: Vec<Arc<Gitignore>>,
    /// The root of the repository holding the directory.
    repository: Option<Arc<Path>>,
}

impl Chain {
    /// No rule applies and no repository holds the directory: every file is untracked.
    pub fn is_empty(&self) -> bool {
        self.git.is_empty() && self.dot_ignores.is_empty() && self.repository.is_none()
    }

    /// What the rules say of `path` (absolute and normal, in the chain's directory).
    pub fn judge(&self, path: &Path, is_dir: bool) -> Verdict {
        let first = |matchers: &[Arc<Gitignore>]| {
            matchers
                .iter()
                // A matcher panics on a path outside its root; none is, but never on input.
                .filter(|m| path.starts_with(m.path()))
                .map(|m| m.matched_path_or_any_parents(path, is_dir))
                .find(|m| !m.is_none())
                .is_some_and(|m| m.is_ignore())
        };
        Verdict {
            git_ignored: first(&self.git),
            dot_ignored: first(&self.dot_ignores),
            repository: self.repository.clone(),
        }
    }
}

/// What the ignore rules say of one path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// git ignores it (before looking at the index).
    pub git_ignored: bool,
    /// A `.ignore` file excludes it from the walk.
    pub dot_ignored: bool,
    /// The root of its repository.
    pub repository: Option<Arc<Path>>,
}

/// The ignore rules of every directory asked about, each directory's files read once (the
/// walk asks about every directory it meets, then the statuses reuse what it read).
#[derive(Default)]
pub struct Ignores {
    /// By directory (absolute and normal: its bytes are the key, hashed faster than a
    /// `Path`'s components).
    chains: Mutex<HashMap<std::ffi::OsString, Arc<Chain>>>,
}

impl Ignores {
    /// What the rules say of `path` (absolute and normal).
    pub fn judge(&self, path: &Path, is_dir: bool) -> Verdict {
        match path.parent() {
            Some(dir) => self.chain(dir).judge(path, is_dir),
            None => Verdict::default(),
        }
    }

    /// The rules in force in `dir` (absolute and normal).
    pub fn chain(&self, dir: &Path) -> Arc<Chain> {
        let lock = || self.chains.lock().unwrap_or_else(|e| e.into_inner());
        // The directories up to the nearest one already known, then built downwards.
        let mut missing = Vec::new();
        let mut known = None;
        for ancestor in dir.ancestors() {
            if let Some(chain) = lock().get(ancestor.as_os_str()) {
                known = Some(chain.clone());
                break;
            }
            missing.push(ancestor);
        }
        let mut chain = known.unwrap_or_default();
        for dir in missing.into_iter().rev() {
            let rules = self.rules_of(dir);
            let mut next = Chain {
                dot_ignores: rules.dot_ignore.into_iter().collect(),
                git: rules.gitignore.into_iter().collect(),
                repository: chain.repository.clone(),
            };
            next.dot_ignores.extend(chain.dot_ignores.iter().cloned());
            match rules.repository {
                // A repository's root: the rules above it are not git's.
                Some(exclude) => {
                    next.git.extend(exclude);
                    next.repository = Some(Arc::from(dir));
                }
                None => next.git.extend(chain.git.iter().cloned()),
            }
            chain = Arc::new(next);
            lock().insert(dir.as_os_str().to_os_string(), chain.clone());
        }
        chain
    }

    fn rules_of(&self, dir: &Path) -> DirRules {
        let mut file = dir.join(".git");
        let repository = std::fs::symlink_metadata(&file).ok().map(|m| m.is_dir());
        file.set_file_name(".gitignore");
        let gitignore = matcher(dir, &file);
        file.set_file_name(".ignore");
        DirRules {
            gitignore,
            dot_ignore: matcher(dir, &file),
            repository: repository.map(|is_dir| {
                git_dir(dir, is_dir).and_then(|git| matcher(dir, &git.join("info/exclude")))
            }),
        }
    }
}

/// The rules of `file`, rooted at `dir`; `None` when there are none (or no file).
fn matcher(dir: &Path, file: &Path) -> Option<Arc<Gitignore>> {
    // Most directories have no ignore file: one failed open, nothing built.
    let text = std::fs::read(file).ok()?;
    let mut builder = GitignoreBuilder::new(dir);
    let text = String::from_utf8_lossy(&text);
    for line in text.trim_start_matches('\u{feff}').lines() {
        // A bad line costs only itself, as in git.
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    let built = builder.build().ok()?;
    (built.num_ignores() + built.num_whitelists() > 0).then(|| Arc::new(built))
}

/// The directory holding a repository's `info/exclude`: `.git`, or for a worktree or a
/// submodule (`.git` a file saying `gitdir: PATH`) the common directory it names.
fn git_dir(root: &Path, is_dir: bool) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if is_dir {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let named = text.trim().strip_prefix("gitdir:")?.trim();
    let git = root.join(named);
    // A worktree's own directory names the common one in `commondir`.
    match std::fs::read_to_string(git.join("commondir")) {
        Ok(common) => Some(git.join(common.trim())),
        Err(_) => Some(git),
    }
}

/// The files of each repository's index, asked of git once per repository (`None`: git could
/// not say — not installed, or refused to read the repository).
#[derive(Default)]
pub struct Index {
    repositories: Mutex<HashMap<PathBuf, Arc<Option<HashSet<PathBuf>>>>>,
    /// Per repository, the directories that hold a file of its index (at any depth).
    directories: Mutex<HashMap<PathBuf, Arc<HashSet<PathBuf>>>>,
}

impl Index {
    /// Whether `path` (absolute, normal, inside `repository`) is in the index.
    pub fn tracks(&self, repository: &Path, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(repository) else {
            return false;
        };
        self.files(repository)
            .as_ref()
            .as_ref()
            .is_some_and(|f| f.contains(relative))
    }

    /// Whether `dir` (absolute, normal, inside `repository`) holds a file of the index: git
    /// tracks a file forced in (`git add -f app/etc/config.php`) under a directory its rules
    /// ignore, so the walk must enter that directory.
    pub fn holds_tracked(&self, repository: &Path, dir: &Path) -> bool {
        let Ok(relative) = dir.strip_prefix(repository) else {
            return false;
        };
        let directories = {
            let known = self.directories.lock().unwrap_or_else(|e| e.into_inner());
            known.get(repository).cloned()
        };
        let directories = match directories {
            Some(directories) => directories,
            None => {
                let files = self.files(repository);
                let all: HashSet<PathBuf> = files
                    .as_ref()
                    .iter()
                    .flatten()
                    .flat_map(|file| file.ancestors().skip(1))
                    .map(Path::to_path_buf)
                    .collect();
                let all = Arc::new(all);
                let mut known = self.directories.lock().unwrap_or_else(|e| e.into_inner());
                known.entry(repository.to_path_buf()).or_insert(all).clone()
            }
        };
        directories.contains(relative)
    }

    fn files(&self, repository: &Path) -> Arc<Option<HashSet<PathBuf>>> {
        let mut known = self.repositories.lock().unwrap_or_else(|e| e.into_inner());
        known
            .entry(repository.to_path_buf())
            .or_insert_with(|| Arc::new(ls_files(repository, None)))
            .clone()
    }
}

/// `git ls-files -z` in `repository` (only `only`, if given): the paths, relative to its root.
fn ls_files(repository: &Path, only: Option<&Path>) -> Option<HashSet<PathBuf>> {
    let mut command = std::process::Command::new("git");
    command
        .arg("-C")
        .arg(repository)
        .args(["ls-files", "-z", "--full-name", "--"]);
    command.args(only);
    let output = command
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(
        output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
            .collect(),
    )
}

/// The status of one file, from its verdict and the index.
pub fn status(verdict: &Verdict, path: &Path, index: &Index) -> GitStatus {
    if let Some(repository) = &verdict.repository {
        if index.tracks(repository, path) {
            return GitStatus::Tracked;
        }
    }
    match verdict.git_ignored {
        true => GitStatus::Ignored,
        false => GitStatus::Untracked,
    }
}

/// The status of a single file (an editor's new document, a buffer on stdin): its rules read
/// from the disk, and git asked about that file only.
pub fn status_of(path: &Path) -> GitStatus {
    let path = absolute(path);
    let verdict = Ignores::default().judge(&path, false);
    if let Some(repository) = &verdict.repository {
        let tracked = path
            .strip_prefix(repository)
            .ok()
            .and_then(|relative| ls_files(repository, Some(relative)))
            .is_some_and(|files| !files.is_empty());
        if tracked {
            return GitStatus::Tracked;
        }
    }
    match verdict.git_ignored {
        true => GitStatus::Ignored,
        false => GitStatus::Untracked,
    }
}

/// `path` absolute (from the working directory) and normal, links not resolved: the form the
/// ignore rules are matched in.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return crate::config::normalize(path);
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::config::normalize(&absolute)
}

/// `absolute` with the working directory asked once by the caller (`None`: unknown).
pub fn absolute_from(cwd: Option<&Path>, path: &Path) -> PathBuf {
    match cwd {
        Some(cwd) if path.is_relative() => crate::config::normalize(&cwd.join(path)),
        _ => absolute(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn nearer_gitignore_wins_and_rules_stop_at_the_repository_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = absolute(dir.path());
        // Above the repository: never git's rules for the files inside it.
        write(&root.join(".gitignore"), "keep.php\n");
        let repo = root.join("repo");
        std::fs::create_dir_all(repo.join(".git/info")).expect("mkdir");
        write(&repo.join(".git/info/exclude"), "excluded.php\n");
        write(&repo.join(".gitignore"), "/app/etc/env.php\n*.local.php\n");
        write(&repo.join("sub/.gitignore"), "!x.local.php\n");
        write(&repo.join(".ignore"), "skipped.php\n");
        let ignores = Ignores::default();
        let judge = |p: &str| ignores.judge(&repo.join(p), false);
        assert!(judge("app/etc/env.php").git_ignored);
        assert!(!judge("app/etc/config.php").git_ignored);
        assert!(!judge("sub/app/etc/env.php").git_ignored, "anchored at /");
        assert!(judge("a.local.php").git_ignored);
        assert!(
            !judge("sub/x.local.php").git_ignored,
            "the nearer file wins"
        );
        assert!(judge("excluded.php").git_ignored);
        assert!(!judge("keep.php").git_ignored);
        assert!(judge("skipped.php").dot_ignored && !judge("skipped.php").git_ignored);
        assert_eq!(judge("x.php").repository.as_deref(), Some(repo.as_path()));
        // Outside any repository the .gitignore files still count, all the way up.
        let outside = root.join("elsewhere/keep.php");
        let verdict = ignores.judge(&outside, false);
        assert!(verdict.git_ignored && verdict.repository.is_none());
    }

    #[test]
    fn an_ignored_directory_ignores_what_it_holds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = absolute(dir.path());
        write(&root.join(".gitignore"), "/vendor/\n");
        let ignores = Ignores::default();
        assert!(
            ignores
                .judge(&root.join("vendor/a/env.php"), false)
                .git_ignored
        );
        assert!(ignores.judge(&root.join("vendor"), true).git_ignored);
        assert!(
            !ignores
                .judge(&root.join("src/vendor.php"), false)
                .git_ignored
        );
    }

    #[test]
    fn a_worktree_reads_the_exclude_file_of_its_common_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = absolute(dir.path());
        let common = root.join("main/.git");
        write(&common.join("info/exclude"), "local.php\n");
        write(&common.join("worktrees/w/commondir"), "../..\n");
        write(
            &root.join("w/.git"),
            &format!("gitdir: {}\n", common.join("worktrees/w").display()),
        );
        let ignores = Ignores::default();
        let verdict = ignores.judge(&root.join("w/local.php"), false);
        assert!(verdict.git_ignored);
        assert_eq!(
            verdict.repository.as_deref(),
            Some(root.join("w").as_path())
        );
    }
}
