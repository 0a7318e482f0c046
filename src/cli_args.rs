//! The command line's arguments (clap), per subcommand.

use clap::{Args, ValueEnum};
use magelint::map::MapFormat;
use magelint::options::{DEFAULT_MAX_FILE_SIZE, MAX_DEPTH_CEILING};
use magelint::report::OutputFormat;
use magelint::syntax::Limits;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// What `check` and `map` share: the files read, the rules run, where the output goes.
#[derive(Args)]
pub(crate) struct Scope {
    /// Files or directories [default: the current directory]; directories are walked
    /// (.gitignore decides which), and Magento config files in them are read by name even when
    /// git ignores them.
    pub(crate) paths: Vec<PathBuf>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,
    /// Rule codes or prefixes to enable (comma-separated; `ALL` for every rule).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub(crate) select: Vec<String>,
    /// Rule codes or prefixes to disable (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub(crate) ignore: Vec<String>,
    /// Walk directories .gitignore excludes, and do not skip vendor/, generated/, var/,
    /// pub/static/, node_modules/.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Use this configuration file instead of the nearest `.magelint.yaml` above the paths.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Another repository's footprint (`magelint footprint`): its sites join the fleet (the
    /// fleet rules MS002, MS005 and MS014 weigh them; `map` draws them). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) footprint: Vec<PathBuf>,
    /// Colours in the terminal (the `full` format of `check`, the `text` format of `map`).
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) color: Color,
}

impl Scope {
    /// The paths given, or the current directory.
    pub(crate) fn paths(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }

    /// Whether the output goes to a terminal.
    pub(crate) fn to_terminal(&self) -> bool {
        self.output_file.is_none() && std::io::stdout().is_terminal()
    }

    /// Whether the output is coloured: `--color`, else on a terminal unless NO_COLOR is set.
    pub(crate) fn colored(&self) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => self.to_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Output format [default: auto: `github` when GITHUB_ACTIONS=true, else `full` on a
    /// terminal, else `concise`].
    #[arg(long, value_enum)]
    pub(crate) format: Option<OutputFormat>,
    #[command(flatten)]
    pub(crate) scope: Scope,
    /// Lowest severity that makes the exit status 1 [default: the config's `fail-on`, else error].
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (2 still means magelint could not run).
    #[arg(long)]
    pub(crate) exit_zero: bool,
    /// Lint what a commit can hold: files git ignores (a local app/etc/env.php) are left out,
    /// as sites too, so they never fail the run (the pre-commit hook's mode).
    #[arg(long)]
    pub(crate) committed_only: bool,
    /// Files larger than this many bytes are reported (E003) instead of read.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub(crate) max_file_size: u64,
    /// Deepest array nesting accepted before a file is reported (E001); at most 1000.
    #[arg(long, value_name = "LEVELS", default_value_t = Limits::default().max_depth as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_DEPTH_CEILING as u64))]
    pub(crate) max_depth: u64,
    /// Hide the findings recorded in this baseline file; report its stale entries (ML004).
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record the current findings in FILE (by fingerprint) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// With --baseline: rewrite it without the entries that match nothing any more.
    #[arg(long, requires = "baseline")]
    pub(crate) prune_baseline: bool,
    /// Lint standard input as the file at this path, with the rest of its installation (or the
    /// PATHS given) as context; only the buffer's findings are printed.
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filename: Option<PathBuf>,
    /// Say on standard error which ece-tools schema checked each .magento.env.yaml, and why.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

#[derive(Args)]
pub(crate) struct MapArgs {
    /// text: a tree; mermaid: a flowchart for Markdown; dot: Graphviz; html: one self-contained
    /// page; json: the model (`magelint schema magelint-map`).
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: MapFormat,
    #[command(flatten)]
    pub(crate) scope: Scope,
}

#[derive(Args)]
pub(crate) struct FootprintArgs {
    /// Files or directories (default: the current directory).
    pub(crate) paths: Vec<PathBuf>,
    /// The repository name other teams will see in messages [default: the directory's name].
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct DumpArgs {
    /// The config file (PHP, YAML or JSON, chosen by name).
    pub(crate) file: PathBuf,
    /// Print secrets (API keys, passwords) in full instead of masked.
    #[arg(long)]
    pub(crate) show_secrets: bool,
}
