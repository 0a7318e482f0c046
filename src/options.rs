//! What a run lints and how: the options every front end (CLI, stdin, editor) fills in, from its
//! arguments and the `.magelint.yaml` that applies.

use crate::discover::WalkOptions;
use crate::select::Selection;
use crate::suppress::PathIgnore;
use crate::syntax::Limits;
use std::path::PathBuf;

/// Default size cap: real config files are < 1 MiB; generated fleets of 10 MiB still fit.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The largest `--max-depth` accepted: parsers, `Drop`, the JSON dump and schema validation
/// all recurse once per level, and this many levels stay far inside a worker thread's stack.
pub const MAX_DEPTH_CEILING: usize = 1000;

/// What to lint and how.
#[derive(Clone, Debug)]
pub struct LintOptions {
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub limits: Limits,
    pub max_file_size: u64,
    pub selection: Selection,
    /// Paths are printed relative to this directory.
    pub base_dir: PathBuf,
    /// `--config FILE`: used instead of the nearest `.magelint.yaml` above each path.
    pub config_file: Option<PathBuf>,
    /// Walked files matching these (config `exclude`) are skipped.
    pub exclude: Vec<Exclude>,
    /// Config `per-file-ignores`.
    pub path_ignores: Vec<PathIgnore>,
    /// Other repositories' footprints (`--footprint`), weighed by the fleet rules.
    pub footprints: Vec<PathBuf>,
    /// The baseline whose findings are hidden (`--baseline`, else the config's `baseline`).
    pub baseline: Option<std::sync::Arc<crate::baseline::LoadedBaseline>>,
    /// The report shows source lines (`full`): the texts of every file a finding points into
    /// are read back. Without snippets, only those where a finding lies past the kept first
    /// line (positions and fingerprints need the text there).
    pub snippets: bool,
    /// Keep every file whole (no facts cut, no text cut): the plain definition the cut is
    /// tested against (tests/facts_cut.rs). Reports are the same either way.
    #[doc(hidden)]
    pub uncut: bool,
}

/// Exclude globs, relative to the directory (as printed) of the config that declared them.
#[derive(Clone, Debug)]
pub struct Exclude {
    pub globs: globset::GlobSet,
    pub base: String,
}

impl Default for LintOptions {
    fn default() -> LintOptions {
        LintOptions {
            paths: vec![PathBuf::from(".")],
            walk: WalkOptions::default(),
            limits: Limits::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            selection: Selection::default(),
            base_dir: std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default(),
            config_file: None,
            exclude: Vec::new(),
            path_ignores: Vec::new(),
            footprints: Vec::new(),
            baseline: None,
            snippets: true,
            uncut: false,
        }
    }
}
