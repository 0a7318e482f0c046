//! The command line: parses arguments, calls the library, prints, and exits 0/1/2.
#![deny(unsafe_code)]

mod cli_args;

use clap::{Parser, Subcommand};
use cli_args::{CheckArgs, DumpArgs, FailOn, FootprintArgs, MapArgs, Scope};
use magelint::baseline;
use magelint::diagnostic::Severity;
use magelint::discover::{FileKind, WalkOptions};
use magelint::lint::{lint, lint_and_map, lint_text};
use magelint::options::{LintOptions, DEFAULT_MAX_FILE_SIZE};
use magelint::report::{write as write_report, OutputFormat, RenderOptions};
use magelint::rules::RULES;
use magelint::settings::{self, Settings};
use magelint::syntax::Limits;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc (see `allocator`): parsing allocates many small strings and vectors per file on
// every thread; glibc's allocator spent ~12% of a fleet run and fragmented the heap.
#[global_allocator]
static ALLOCATOR: magelint::allocator::Allocator = magelint::allocator::Allocator;

/// A fast static linter for Magento 2 / Adobe Commerce configuration, centred on Magento
/// Services (SaaS data spaces, API keys, website codes).
#[derive(Parser)]
#[command(name = "magelint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the Magento configuration under PATHs (default: the current directory).
    Check(CheckArgs),
    /// Print the statically known value of a config file as JSON (json_encode shape).
    Dump(DumpArgs),
    /// Write a secret-free JSON summary of every site (for `check --footprint` elsewhere).
    Footprint(FootprintArgs),
    /// Draw the fleet: installations → sites → SaaS data spaces, with the findings on it.
    Map(MapArgs),
    /// List every rule: code, name, default severity, summary.
    Rules {
        /// List ece-tools' error codes instead: the rules that report each before the deploy,
        /// or why it cannot be decided from the repository's files.
        #[arg(long)]
        ece_tools: bool,
    },
    /// Print the documentation of one rule.
    Rule {
        /// A rule code, e.g. MS001.
        code: String,
    },
    /// Run the Language Server over standard input/output (for editors).
    Server,
    /// Print a bundled JSON Schema by name, or list them without a name.
    Schema {
        /// A schema name, e.g. magento-env-yaml (file name without `.schema.json`).
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    magelint::sys::no_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Dump(args) => dump(args),
        Command::Footprint(args) => footprint(args),
        Command::Map(args) => map(args),
        Command::Server => match magelint::server::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&message),
        },
        Command::Rules { ece_tools: true } => print_out(&magelint::ece_coverage::text()),
        Command::Rules { ece_tools: false } => {
            let mut out = String::new();
            for rule in RULES {
                let meta = rule.meta;
                let default = if meta.default_enabled {
                    ""
                } else {
                    " (off by default)"
                };
                out.push_str(&format!(
                    "{:<7} {:<44} {:<8} {}{default}\n",
                    meta.code,
                    meta.name,
                    meta.severity.as_str(),
                    meta.summary()
                ));
            }
            print_out(&out)
        }
        Command::Schema { name: None } => {
            let mut out = String::new();
            for (name, _) in magelint::schema::SCHEMAS {
                out.push_str(name);
                out.push('\n');
            }
            print_out(&out)
        }
        Command::Schema { name: Some(name) } => {
            let name = name.trim_end_matches(".json").trim_end_matches(".schema");
            match magelint::schema::text(name) {
                Some(text) => print_out(text),
                None => fail(&format!(
                    "unknown schema `{name}`; `magelint schema` lists them"
                )),
            }
        }
        Command::Rule { code } => match magelint::rules::meta(&code.to_ascii_uppercase()) {
            Some(meta) => print_out(&meta.markdown()),
            None => fail(&format!(
                "unknown rule `{code}`; `magelint rules` lists them"
            )),
        },
    }
}

fn check(args: CheckArgs) -> ExitCode {
    // End-of-life checks compare with today's date; a MAGELINT_TODAY that is no date would
    // silently turn them off.
    if let Err(message) = magelint::cloud::today() {
        return fail(&message);
    }
    let paths = args.scope.paths();
    let start = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| paths[0].clone());
    let run = RunArgs {
        committed_only: args.committed_only,
        max_depth: args.max_depth,
        max_file_size: args.max_file_size,
        ..RunArgs::of(&args.scope)
    };
    let (mut options, settings) = match load_options(&run, &start) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    if let Some(path) = &args.baseline {
        match baseline::load(path, &options.base_dir) {
            Ok(loaded) => options.baseline = Some(std::sync::Arc::new(loaded)),
            Err(message) => return fail(&message),
        }
    }
    if args.write_baseline.is_some() {
        // A new baseline records every finding, the configured baseline's too.
        options.baseline = None;
    }
    options.paths = paths;
    options.footprints = args.scope.footprint.clone();
    let to_terminal = args.scope.to_terminal();
    let format = args.format.unwrap_or_else(|| auto_format(to_terminal));
    options.snippets = format == OutputFormat::Full;
    // In GitHub Actions, the job summary gets the counts and the map of the sites with findings.
    let summary_file = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let mut step_map = None;
    let mut report = match &args.stdin_filename {
        Some(name) => {
            let mut text = String::new();
            if let Err(error) = std::io::stdin().read_to_string(&mut text) {
                return fail(&format!("cannot read standard input: {error}"));
            }
            lint_text(name, text, &options)
        }
        None if summary_file.is_some() => {
            let (report, map) = lint_and_map(&options);
            step_map = Some(map);
            report
        }
        None => lint(&options),
    };
    if let (Some(path), Some(map)) = (&summary_file, &step_map) {
        append_step_summary(path, map);
    }
    if args.verbose {
        for line in schema_lines(&report) {
            eprintln!("{line}");
        }
    }
    if let Some(path) = &args.write_baseline {
        let baseline = baseline::from_report(&report);
        if let Err(error) = std::fs::write(path, baseline::to_json(&baseline)) {
            return fail(&format!("cannot write {}: {error}", path.display()));
        }
        eprintln!(
            "magelint: wrote {} findings to {}",
            baseline.entries.len(),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    if args.prune_baseline {
        if let (Some(loaded), Some(still)) = (&options.baseline, &report.baseline_still) {
            if let Err(error) = std::fs::write(&loaded.path, baseline::to_json(still)) {
                return fail(&format!("cannot write {}: {error}", loaded.path.display()));
            }
            report.diagnostics.retain(|d| d.code() != "ML004");
        }
    }
    let color = args.scope.colored();
    let options = RenderOptions { color };
    let mut timings = magelint::lint::Timings::from_env();
    let written = match &args.scope.output_file {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| {
                let mut out = std::io::BufWriter::new(file);
                write_report(&report, format, options, &mut out)?;
                out.flush()
            })
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write_report(&report, format, options, &mut out).and_then(|()| out.flush()) {
                // A closed pipe (`magelint check | head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| format!("cannot write the report: {e}")),
            }
        }
    };
    timings.lap("write the report");
    if let Err(message) = written {
        return fail(&message);
    }
    if report.has_internal_error() || config_is_invalid(&report) {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => settings.fail_on.unwrap_or(Severity::Error),
    };
    let failing = report.diagnostics.iter().any(|d| d.severity >= threshold);
    // The process ends here: freeing a fleet's report piece by piece (tens of thousands of
    // files) would only cost time.
    std::mem::forget(report);
    ExitCode::from(if failing && !args.exit_zero { 1 } else { 0 })
}

/// One line per `.magento.env.yaml`: the ece-tools schema that checked it, and why.
fn schema_lines(report: &magelint::Report) -> Vec<String> {
    report
        .ece_tools
        .iter()
        .map(|s| {
            let path = report
                .files
                .get(s.file)
                .map_or("?", |f| f.display_path.as_str());
            let release = s
                .version
                .as_ref()
                .map_or_else(String::new, |v| format!(", ece-tools {v}"));
            format!(
                "magelint: {path}: ece-tools schema {}{release} ({}): {}",
                s.generation, s.schema, s.reason
            )
        })
        .collect()
}

/// An error-level finding in a `.magelint.yaml` (syntax or schema) means magelint cannot run as
/// configured: exit 2, like an invalid `--select`.
fn config_is_invalid(report: &magelint::Report) -> bool {
    report.diagnostics.iter().any(|d| {
        d.severity == Severity::Error
            && report
                .files
                .get(d.location.file)
                .is_some_and(|f| f.source.kind == FileKind::MagelintConfig)
    })
}

/// What `check` and `map` share of the command line: how files are read and which rules run.
struct RunArgs {
    no_ignore: bool,
    committed_only: bool,
    max_depth: u64,
    max_file_size: u64,
    config: Option<PathBuf>,
    select: Vec<String>,
    ignore: Vec<String>,
}

impl RunArgs {
    /// The shared arguments, with the defaults of the reading limits.
    fn of(scope: &Scope) -> RunArgs {
        RunArgs {
            no_ignore: scope.no_ignore,
            committed_only: false,
            max_depth: Limits::default().max_depth as u64,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            config: scope.config.clone(),
            select: scope.select.clone(),
            ignore: scope.ignore.clone(),
        }
    }
}

/// The options of a run: the command line over the `.magelint.yaml` that applies to `start`.
fn load_options(
    args: &RunArgs,
    start: &std::path::Path,
) -> Result<(LintOptions, Settings), String> {
    let mut options = LintOptions {
        walk: WalkOptions {
            no_ignore: args.no_ignore,
            committed_only: args.committed_only,
        },
        limits: Limits {
            max_depth: args.max_depth as usize,
        },
        max_file_size: args.max_file_size,
        config_file: args.config.clone(),
        ..LintOptions::default()
    };
    let config = args.config.clone().or_else(|| settings::find_upward(start));
    let settings = match &config {
        Some(path) => settings::load_for_run(path, &options.base_dir)
            .map_err(|error| format!("invalid configuration: {error}"))?,
        None => Settings::default(),
    };
    settings::apply(&mut options, &settings)?;
    // The command line overrides the configuration.
    if !args.select.is_empty() {
        options.selection.select = args.select.clone();
    }
    options.selection.ignore.extend(args.ignore.iter().cloned());
    let unknown = options.selection.unknown_selectors();
    if !unknown.is_empty() {
        return Err(format!(
            "unknown rule selector `{}`; `magelint rules` lists the codes",
            unknown.join("`, `")
        ));
    }
    Ok((options, settings))
}

/// Appends the run's Markdown summary to GitHub's job summary file; a failure to write it is
/// reported but does not change the run's result.
fn append_step_summary(path: &std::path::Path, map: &magelint::map::FleetMap) {
    let text = magelint::map::step_summary(map);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "magelint: cannot append the summary to {}: {error}",
            path.display()
        );
    }
}

fn map(args: MapArgs) -> ExitCode {
    if let Err(message) = magelint::cloud::today() {
        return fail(&message);
    }
    let paths = args.scope.paths();
    let run = RunArgs::of(&args.scope);
    let (mut options, _) = match load_options(&run, &paths[0]) {
        Ok(loaded) => loaded,
        Err(message) => return fail(&message),
    };
    options.paths = paths;
    options.footprints = args.scope.footprint.clone();
    let (report, map) = lint_and_map(&options);
    if report.has_internal_error() || config_is_invalid(&report) {
        // The map is still drawn: the findings say what went wrong.
        eprintln!("magelint: the configuration or a file could not be checked; see the findings");
    }
    let color = args.scope.colored();
    let text = magelint::map::render(&map, args.format, color);
    // The process ends here: freeing the model piece by piece would only cost time.
    std::mem::forget(report);
    std::mem::forget(map);
    match &args.scope.output_file {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(&format!("cannot write {}: {error}", path.display())),
        },
        None => print_out(&text),
    }
}

fn footprint(args: FootprintArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let name = args.name.unwrap_or_else(|| {
        let dir = std::fs::canonicalize(&paths[0]).unwrap_or_else(|_| paths[0].clone());
        dir.file_name()
            .map_or_else(|| "repository".into(), |n| n.to_string_lossy().into_owned())
    });
    // A footprint speaks for the repository to other repositories: a local env file git
    // ignores is nobody else's business.
    let options = LintOptions {
        paths,
        walk: WalkOptions {
            committed_only: true,
            ..WalkOptions::default()
        },
        ..LintOptions::default()
    };
    let value = magelint::lint::footprint(&options, &name);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    match &args.output_file {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(&format!("cannot write {}: {error}", path.display())),
        },
        None => print_out(&text),
    }
}

/// The format used without `--format`: annotations inside GitHub Actions, snippets for a person
/// at a terminal, one line per finding for everything else.
fn auto_format(to_terminal: bool) -> OutputFormat {
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        OutputFormat::Github
    } else if to_terminal {
        OutputFormat::Full
    } else {
        OutputFormat::Concise
    }
}

fn dump(args: DumpArgs) -> ExitCode {
    match magelint::lint::dump(&args.file, args.show_secrets) {
        Ok(json) => print_out(&json),
        Err(message) => fail(&message),
    }
}

fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`magelint check | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("cannot write the report: {e}")),
    }
}

fn print_out(text: &str) -> ExitCode {
    match write_stdout(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("magelint: {message}");
    ExitCode::from(2)
}
