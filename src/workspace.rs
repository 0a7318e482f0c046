//! The editor's engine: a workspace folder's files checked once, then kept. An edit re-runs the
//! per-file stage for that file only and the fleet stage over the kept facts (installations
//! resolved again only where a file changed), and reports on the files asked about: the cost
//! of a keystroke does not grow with the workspace.

use crate::check::{self, enabled_rules};
use crate::diagnostic::{Diagnostic, FileId};
use crate::discover::{classify, FileKind, Format, SourcePath};
use crate::model::ModelCache;
use crate::options::LintOptions;
use crate::rules::Registered;
use crate::run::{Input, Report, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One workspace folder's files, their per-file results and the model built from them.
pub struct Workspace {
    pub options: LintOptions,
    rules: Vec<&'static Registered>,
    /// By file id; a removed file leaves an empty slot (ids stay stable for the cache).
    files: Vec<SourceFile>,
    /// Each file's own findings (per-file stage).
    own: Vec<Vec<Diagnostic>>,
    /// What each file was checked from: a hash of the editor's text, or the disk's stamp.
    keys: Vec<Key>,
    by_path: HashMap<PathBuf, FileId>,
    model: ModelCache,
    /// Files checked again since the last report.
    changed: Vec<FileId>,
}

/// What a file's per-file result was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    /// An editor buffer's text (its hash).
    Text(u64),
    /// The disk's file: modification time and length when read.
    Disk(Option<(SystemTime, u64)>),
    /// The slot of a removed file.
    Removed,
}

impl Workspace {
    /// Discovers the files of `options` and runs the per-file stage on all of them; `buffers`
    /// (the editor's open documents) are read instead of the disk.
    pub fn load(options: LintOptions, buffers: &HashMap<PathBuf, String>) -> Workspace {
        let rules = enabled_rules(&options);
        let (sources, _) = crate::sources::discover_sources(&options);
        let mut workspace = Workspace {
            options,
            rules,
            files: Vec::new(),
            own: Vec::new(),
            keys: Vec::new(),
            by_path: HashMap::new(),
            model: ModelCache::default(),
            changed: Vec::new(),
        };
        let sources: Vec<SourcePath> = sources
            .into_iter()
            .map(|mut s| {
                s.path = absolute(&s.path);
                s
            })
            .collect();
        workspace.keys = sources
            .iter()
            .map(|s| match buffers.get(&s.path) {
                Some(text) => Key::Text(hash(text)),
                None => Key::Disk(stamp(&s.path)),
            })
            .collect();
        let inputs = sources
            .into_iter()
            .map(|source| Input {
                text: buffers.get(&source.path).cloned(),
                source,
            })
            .collect();
        let (files, own) =
            crate::lint::check_inputs(inputs, 0, &workspace.rules, &workspace.options);
        workspace.by_path = files
            .iter()
            .enumerate()
            .map(|(id, f)| (f.source.path.clone(), id))
            .collect();
        workspace.files = files;
        workspace.own = own;
        workspace
    }

    /// The id of the file at `path` (absolute), if the workspace holds it.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// How many files the workspace holds.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Sets the text of `path` (absolute) from an editor buffer, or from the disk with `None`;
    /// runs its per-file stage again if that changes what it was checked from. A path the
    /// workspace does not hold is added when its name makes it a config file. Returns whether
    /// anything changed.
    pub fn set_text(&mut self, path: &Path, text: Option<String>) -> bool {
        let key = match &text {
            Some(text) => Key::Text(hash(text)),
            None => Key::Disk(stamp(path)),
        };
        // Gone from disk (an unsaved buffer closed, a file deleted): forgotten.
        if text.is_none() && !path.is_file() {
            return self.remove(path);
        }
        let id = match self.file_id(path) {
            Some(id) if self.keys[id] == key => return false,
            Some(id) => id,
            None => {
                let Some((kind, format)) = classify(path) else {
                    return false;
                };
                self.add_slot(path, kind, format)
            }
        };
        let source = self.files[id].source.clone();
        let before = groupable(&self.files[id]);
        let (mut files, mut own) =
            crate::lint::check_inputs(vec![Input { source, text }], id, &self.rules, &self.options);
        let (Some(file), Some(found)) = (files.pop(), own.pop()) else {
            return false;
        };
        // Grouping into installations reads only files that parse to an array, and the
        // `env_file:` names of compose files.
        if groupable(&file) != before
            || matches!(
                file.source.kind,
                FileKind::MagelintConfig | FileKind::Footprint | FileKind::DockerCompose { .. }
            )
        {
            self.model.invalidate();
        }
        self.files[id] = file;
        self.own[id] = found;
        self.keys[id] = key;
        self.changed.push(id);
        true
    }

    /// Forgets the file at `path` (deleted on disk). Returns whether the workspace held it.
    pub fn remove(&mut self, path: &Path) -> bool {
        let Some(id) = self.by_path.remove(path) else {
            return false;
        };
        let source = SourcePath {
            path: PathBuf::new(),
            kind: FileKind::Other,
            format: Format::Json,
            explicit: false,
        };
        self.files[id] = empty_file(source);
        self.own[id] = Vec::new();
        self.keys[id] = Key::Removed;
        self.model.invalidate();
        true
    }

    /// Re-reads from disk every file whose stamp changed, adds new ones and forgets deleted
    /// ones (a rescan after a save, a branch switch or a generator). `open` paths keep their
    /// buffers.
    pub fn rescan(&mut self, open: &dyn Fn(&Path) -> bool) -> usize {
        let (sources, _) = crate::sources::discover_sources(&self.options);
        let found: Vec<PathBuf> = sources.iter().map(|s| absolute(&s.path)).collect();
        let present: std::collections::HashSet<&PathBuf> = found.iter().collect();
        let gone: Vec<PathBuf> = self
            .by_path
            .keys()
            .filter(|p| !present.contains(p) && !open(p))
            .cloned()
            .collect();
        let mut touched = 0;
        for path in gone {
            touched += usize::from(self.remove(&path));
        }
        for path in found {
            if !open(&path) {
                touched += usize::from(self.set_text(&path, None));
            }
        }
        touched
    }

    /// The report on the files of `subjects`: their own findings, the site rules of the sites
    /// that read them, the fleet rules' findings in them; suppressions, severities and the
    /// baseline applied. The report's files are the workspace's, by id.
    pub fn report(&mut self, subjects: &[FileId]) -> Report {
        let mut timings = crate::timings::Timings::from_env();
        let changed = std::mem::take(&mut self.changed);
        let (model, files, base) = (&mut self.model, &self.files, &self.options.base_dir);
        let mut fleet = check::in_worker_pool(|| model.resolve(files, base, &changed));
        // Only the installations the subjects belong to are asked about.
        let holds = |i: &crate::model::Installation, f: FileId| i.files().any(|m| m == f);
        // A `.magelint.yaml` declares sites and data spaces for the whole folder: asked about
        // one, every installation is.
        let declares = subjects.iter().any(|&f| {
            self.files
                .get(f)
                .is_some_and(|file| file.source.kind == FileKind::MagelintConfig)
        });
        fleet.focus = (!declares).then(|| {
            fleet
                .installations
                .iter()
                .map(|i| subjects.iter().any(|&f| holds(i, f)))
                .collect()
        });
        timings.lap("workspace: resolve");
        let wanted =
            |site: &crate::model::Site| subjects.iter().any(|&f| fleet.site_reads(site, f));
        let mut diagnostics = check::fleet::check(&fleet, &self.rules, &wanted);
        let sites = fleet.sites.len();
        timings.lap("workspace: site and fleet rules");
        self.model.keep(fleet);
        diagnostics.retain(|d| subjects.contains(&d.location.file));
        for &subject in subjects {
            if let Some(own) = self.own.get(subject) {
                diagnostics.extend(own.iter().cloned());
            }
        }
        let mut report = Report {
            files: std::mem::take(&mut self.files),
            diagnostics,
            sites,
            ..Report::default()
        };
        let count = report.files.len();
        crate::lint::finish_scoped(&mut report, &self.options, subjects);
        timings.lap("workspace: suppress, baseline, sort");
        // Nothing is added for a scoped report, but keep the table the ids index.
        report.files.truncate(count);
        report
    }

    /// Hands back the files of a report `report` gave.
    pub fn keep(&mut self, report: Report) {
        self.files = report.files;
    }

    fn add_slot(&mut self, path: &Path, kind: FileKind, format: Format) -> FileId {
        let id = self.files.len();
        self.files.push(empty_file(SourcePath {
            path: path.to_path_buf(),
            kind,
            format,
            explicit: true,
        }));
        self.own.push(Vec::new());
        self.keys.push(Key::Removed);
        self.by_path.insert(path.to_path_buf(), id);
        self.model.invalidate();
        id
    }
}

fn empty_file(source: SourcePath) -> SourceFile {
    SourceFile {
        source,
        display_path: String::new(),
        text: String::new(),
        lines: crate::syntax::LineIndex::new(""),
        facts: None,
        secrets: Vec::new(),
        in_memory: false,
    }
}

/// Whether installation grouping reads the file: it parsed to an array.
fn groupable(file: &SourceFile) -> bool {
    file.facts
        .as_ref()
        .is_some_and(|f| matches!(f.root.value, crate::syntax::Value::Array { .. }))
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// A path as the editor names it: absolute (relative ones are taken from the working
/// directory), links not resolved.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}
