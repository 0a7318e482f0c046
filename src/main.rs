//! The command line: parses arguments, calls the library, prints, and exits 0/1/2.

use clap::{Args, Parser, Subcommand, ValueEnum};
use magelint::diagnostic::Severity;
use magelint::discover::{classify, FileKind, Format, SourcePath, WalkOptions};
use magelint::lint::{lint, LintOptions, DEFAULT_MAX_FILE_SIZE};
use magelint::report::{render, OutputFormat, RenderOptions};
use magelint::rules::RULES;
use magelint::select::Selection;
use magelint::syntax::Limits;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print the documentation of one rule.
    Rule {
        /// A rule code, e.g. MS001.
        code: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or directories to lint; directories are walked (.gitignore respected).
    paths: Vec<PathBuf>,
    /// Output format [default: auto: `github` when GITHUB_ACTIONS=true, else `full` on a
    /// terminal, else `concise`].
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Exit 0 even when there are findings (2 still means magelint could not run).
    #[arg(long)]
    exit_zero: bool,
    /// Rule codes or prefixes to enable (comma-separated; `ALL` for every rule).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Vec<String>,
    /// Rule codes or prefixes to disable (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Vec<String>,
    /// Do not respect .gitignore files and do not skip vendor/, generated/, var/, pub/static/,
    /// node_modules/.
    #[arg(long)]
    no_ignore: bool,
    /// Files larger than this many bytes are reported (E003) instead of read.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Deepest array nesting accepted before a file is reported (E001).
    #[arg(long, value_name = "LEVELS", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// Colours in the full format.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
}

#[derive(Args)]
struct DumpArgs {
    /// The config file (PHP, YAML or JSON, chosen by name).
    file: PathBuf,
    /// Print secrets (API keys, passwords) in full instead of masked.
    #[arg(long)]
    show_secrets: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Dump(args) => dump(args),
        Command::Rules => {
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
        Command::Rule { code } => match magelint::rules::meta(&code.to_ascii_uppercase()) {
            Some(meta) => print_out(&format!(
                "# {} {}\n\nDefault severity: {}{}\n\n{}",
                meta.code,
                meta.name,
                meta.severity,
                if meta.default_enabled {
                    ""
                } else {
                    " (off by default)"
                },
                meta.doc
                    .lines()
                    .map(|l| l.strip_prefix(' ').unwrap_or(l))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
            None => fail(&format!(
                "unknown rule `{code}`; `magelint rules` lists them"
            )),
        },
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let selection = Selection {
        select: args.select,
        ignore: args.ignore,
        severity: Default::default(),
    };
    let unknown = selection.unknown_selectors();
    if !unknown.is_empty() {
        return fail(&format!(
            "unknown rule selector `{}`; `magelint rules` lists the codes",
            unknown.join("`, `")
        ));
    }
    let options = LintOptions {
        paths: if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths
        },
        walk: WalkOptions {
            no_ignore: args.no_ignore,
        },
        limits: Limits {
            max_depth: args.max_depth.max(1),
        },
        max_file_size: args.max_file_size,
        selection,
        ..LintOptions::default()
    };
    let report = lint(&options);
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let format = args.format.unwrap_or_else(|| auto_format(to_terminal));
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = render(&report, format, RenderOptions { color });
    let written = match &args.output_file {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => write_stdout(&text),
    };
    if let Err(message) = written {
        return fail(&message);
    }
    if report.has_internal_error() {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failing = report.diagnostics.iter().any(|d| d.severity >= threshold);
    ExitCode::from(if failing && !args.exit_zero { 1 } else { 0 })
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
    let (kind, format) = classify(&args.file).unwrap_or_else(|| {
        let format = match args.file.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Format::Yaml,
            Some("json") => Format::Json,
            _ => Format::Php,
        };
        (FileKind::Other, format)
    });
    let text = match std::fs::read(&args.file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => return fail(&format!("cannot read {}: {error}", args.file.display())),
    };
    let source = SourcePath {
        path: args.file.clone(),
        kind,
        format,
        explicit: true,
    };
    match magelint::lint::parse(&source, &text, &Limits::default()) {
        Ok(document) => {
            let mut value = magelint::syntax::dump::to_json(&document.root);
            if !args.show_secrets {
                magelint::secrets::mask_json(&mut value);
            }
            let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
            out.push('\n');
            print_out(&out)
        }
        Err(error) => {
            let lines = magelint::syntax::LineIndex::new(&text);
            let at = lines.position(&text, error.span.start);
            fail(&format!(
                "{}:{}:{}: E001 {}",
                args.file.display(),
                at.line,
                at.column,
                error.message
            ))
        }
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
