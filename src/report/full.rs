//! `full`: miette's graphical reports, with source snippets taken from masked text.

use super::summary_line;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::run::Report;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// One diagnostic in miette's terms. Related locations in the same file become extra labels
/// on the same snippet; those in other files become related reports with their own snippet.
#[derive(Debug)]
struct Rendered {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(&self.code))
        }
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn source_of(report: &Report, file: usize) -> NamedSource<String> {
    match report.files.get(file) {
        Some(f) => NamedSource::new(f.display_path.clone(), f.redacted_text()),
        None => NamedSource::new("<unknown>", String::new()),
    }
}

fn label(location: &Location, text: Option<String>) -> LabeledSpan {
    let span = SourceSpan::new((location.span.start as usize).into(), location.span.len());
    LabeledSpan::new_with_span(text, span)
}

/// Longest line shown in a snippet: miette pads labels with a width of the column, and a width
/// over 65535 panics ("Formatting argument out of range"), so a minified or generated one-line
/// file gets its position in the message instead of a snippet.
const MAX_SNIPPET_LINE: usize = 2000;

/// Whether the lines around `location` (with one line of context) are short enough to show.
fn showable(report: &Report, location: &Location) -> bool {
    let Some(file) = report.files.get(location.file) else {
        return true;
    };
    let start = file.lines.position(&file.text, location.span.start).line;
    let end = file.lines.position(&file.text, location.span.end).line;
    (start.saturating_sub(1)..=end + 1)
        .all(|line| file.lines.line_range(&file.text, line).len() <= MAX_SNIPPET_LINE)
}

/// A report without a snippet, its position in the message.
fn without_snippet(report: &Report, mut rendered: Rendered, location: &Location) -> Rendered {
    if let Some(file) = report.files.get(location.file) {
        let at = file.lines.position(&file.text, location.span.start);
        rendered.message = format!(
            "{} (at {}:{}:{}; the line is too long to show)",
            rendered.message, file.display_path, at.line, at.column
        );
    }
    rendered.source = NamedSource::new("", String::new());
    rendered.labels.clear();
    rendered
}

fn build(report: &Report, diagnostic: &Diagnostic) -> Rendered {
    let rendered = build_with_snippets(report, diagnostic);
    let all_short = std::iter::once(&diagnostic.location)
        .chain(diagnostic.related.iter().map(|r| &r.location))
        .all(|l| showable(report, l));
    if all_short {
        return rendered;
    }
    let mut rendered = without_snippet(report, rendered, &diagnostic.location);
    let related = std::mem::take(&mut rendered.related);
    let others = diagnostic
        .related
        .iter()
        .filter(|r| r.location.file != diagnostic.location.file);
    rendered.related = related
        .into_iter()
        .zip(others)
        .map(|(r, other)| without_snippet(report, r, &other.location))
        .collect();
    rendered
}

fn build_with_snippets(report: &Report, diagnostic: &Diagnostic) -> Rendered {
    let primary = &diagnostic.location;
    let mut labels = vec![label(primary, Some(short_label(diagnostic)))];
    let mut related = Vec::new();
    for r in &diagnostic.related {
        if r.location.file == primary.file {
            labels.push(label(&r.location, Some(r.message.clone())));
        } else {
            related.push(Rendered {
                code: String::new(),
                message: r.message.clone(),
                severity: Severity::Info,
                help: None,
                source: source_of(report, r.location.file),
                labels: vec![label(&r.location, Some("here".into()))],
                related: Vec::new(),
            });
        }
    }
    Rendered {
        code: format!("{} {}", diagnostic.code(), diagnostic.name()),
        message: diagnostic.message.clone(),
        severity: diagnostic.severity,
        help: diagnostic.help.clone(),
        source: source_of(report, primary.file),
        labels,
        related,
    }
}

fn short_label(diagnostic: &Diagnostic) -> String {
    diagnostic.name().replace('-', " ")
}

pub fn render(report: &Report, options: super::RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(1);
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let rendered = build(report, diagnostic);
        // miette is a dependency: should it still panic on some input, that one report falls
        // back to a plain line instead of the whole run dying with nothing printed.
        let mut one = String::new();
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handler.render_report(&mut one, &rendered)
        }));
        match drawn {
            Ok(Ok(())) => out.push_str(&one),
            _ => out.push_str(&format!("{}: {}\n", rendered.code, rendered.message)),
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}
