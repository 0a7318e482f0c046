//! The per-file stage: read → parse → schema and file rules → the file's facts, its
//! diagnostics and its secret spans. One file never stops the others: a bug costs that file
//! (E000), bad input gets its diagnostic (E001-E003).

use crate::diagnostic::{Diagnostic, FileId, Location};
use crate::discover::{FileKind, Format, SourcePath};
use crate::facts::{cut_text, first_line_end, kept_offsets, Facts};
use crate::options::LintOptions;
use crate::read::read_text;
use crate::rules::{self, FileContext, Registered};
use crate::run::{Input, SourceFile};
use crate::sources::display_path;
use crate::syntax::{self, Document, Limits, LineIndex, ParseError, Span, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Checks one file: the `SourceFile` the later stages read, and the file's own findings.
pub fn check_one(
    id: FileId,
    input: Input,
    rules: &[&Registered],
    options: &LintOptions,
) -> (SourceFile, Vec<Diagnostic>) {
    let display_path = display_path(&input.source.path, &options.base_dir);
    let source = input.source.clone();
    let in_memory = input.text.is_some();
    // A bug in magelint must cost one file, not the run: catch it and report it.
    let checked = || {
        let (mut file, diagnostics) = check_file(id, input, rules, options);
        // Every text gets its line index here, but a cut one, which has its sparse index.
        if !file.lines.is_sparse() {
            file.lines = LineIndex::new(&file.text);
        }
        (file, diagnostics)
    };
    match catch_unwind(AssertUnwindSafe(checked)) {
        Ok((mut file, diagnostics)) => {
            file.display_path = display_path;
            (file, diagnostics)
        }
        Err(panic) => {
            let message = super::panic_message(panic.as_ref());
            let file = SourceFile {
                source,
                display_path,
                text: String::new(),
                lines: LineIndex::new(""),
                facts: None,
                secrets: Vec::new(),
                in_memory,
            };
            let diagnostic = Diagnostic::new(
                rules::InternalError::RULE,
                Location::new(id, Span::empty_at(0)),
                format!("internal error while checking this file: {message}"),
            )
            .help("this is a bug in magelint; please report it");
            (file, vec![diagnostic])
        }
    }
}

fn check_file(
    id: FileId,
    input: Input,
    rules: &[&Registered],
    options: &LintOptions,
) -> (SourceFile, Vec<Diagnostic>) {
    #[cfg(feature = "test-hooks")]
    test_hooks::panic_if_asked(&input.source.path);
    let mut diagnostics = Vec::new();
    let in_memory = input.text.is_some();
    let (text, read_problem) = match input.text {
        Some(text) => (text, None),
        None => read_text(&input.source.path, options.max_file_size),
    };
    // The line index is built by `check_one` (a file whose text is cut gets a sparse one here).
    let mut file = SourceFile {
        lines: LineIndex::default(),
        text,
        source: input.source,
        display_path: String::new(),
        facts: None,
        secrets: Vec::new(),
        in_memory,
    };
    if let Some((message, offset)) = read_problem {
        // Not valid UTF-8: the lossy text may still be shown; mask what looks like a secret.
        file.secrets = crate::secrets::text_secret_spans(&file.text);
        diagnostics.push(Diagnostic::new(
            rules::UnreadableFile::RULE,
            Location::new(id, Span::empty_at(offset)),
            message,
        ));
        return (file, diagnostics);
    }
    match parse(&file.source, &file.text, &options.limits) {
        Ok(document) => {
            if let Some(diagnostic) = not_a_config_array(id, &file.source, &document) {
                diagnostics.push(diagnostic);
            }
            let context = FileContext {
                id,
                source: &file.source,
                text: &file.text,
                document: &document,
                schema: std::cell::OnceCell::new(),
            };
            // A file git ignores is never committed: rules about what a repository holds
            // have nothing to say of it.
            let ignored = file.source.git == crate::git::GitStatus::Ignored;
            for rule in rules {
                if !(ignored && rule.meta.about_repository) {
                    rule.rule.check_file(&context, &mut diagnostics);
                }
            }
            drop(context);
            // The text is dropped until the report is written, unless it came from memory or
            // holds suppression comments: the report reads back the texts findings point into,
            // once the trees are freed.
            let cut_at = match options.uncut || in_memory || crate::suppress::has_marker(&file.text)
            {
                true => None,
                false => first_line_end(&file.text),
            };
            // The tree's secrets now, before the cut drops them; the text scan only for a text
            // that is kept (a cut one is scanned if it is read back).
            file.secrets = crate::secrets::secret_spans(&document);
            if cut_at.is_none() {
                file.secrets = crate::secrets::merge_spans(
                    std::mem::take(&mut file.secrets),
                    crate::secrets::text_secret_spans(&file.text),
                );
            }
            let facts = match options.uncut {
                true => Facts::whole(document),
                false => Facts::cut(&file.source, document),
            };
            if let Some(end) = cut_at {
                // Line numbers are still needed where the kept nodes are (fleet messages quote
                // them); the rest of the index goes with the text.
                file.lines = LineIndex::sparse(&file.text, kept_offsets(&facts));
                cut_text(&mut file.text, end);
            }
            file.facts = Some(facts);
        }
        Err(error) => {
            // No document to say where the secrets are: find them in the text, so neither the
            // snippet shown around the error nor the token quoted in the message prints one.
            file.secrets = crate::secrets::text_secret_spans(&file.text);
            let mut message =
                crate::secrets::mask_in_message(&error.message, &file.text, &file.secrets);
            if file.source.kind == crate::discover::FileKind::MagentoEnvYaml {
                // ece-tools reads this file first thing in every stage.
                message.push_str(&format!(
                    "; ece-tools cannot read the file: {} stops the build",
                    crate::ece_tools::cite(4)
                ));
            }
            // ece-tools reads pub/errors/local.xml at deploy and only warns (2004); a file git
            // ignores never reaches it.
            if file.source.kind == crate::discover::FileKind::ErrorsLocalXml {
                if file.source.git != crate::git::GitStatus::Ignored {
                    diagnostics.push(rules::ErrorReportNestingLevel::not_well_formed(
                        id, error.span, &message,
                    ));
                }
                return (file, diagnostics);
            }
            let mut diagnostic = Diagnostic::new(
                rules::ParseError::RULE,
                Location::new(id, error.span),
                message,
            );
            // A Jinja or Twig template becomes PHP only when its engine renders it
            // (`'{{ host | default('db') }}'`): not PHP's error, so not an error of the file.
            if crate::discover::is_engine_template(&file.source.path)
                && (file.text.contains("{{") || file.text.contains("{%"))
            {
                diagnostic.message.push_str(
                    "; this is a template its engine renders into PHP, so it is not checked further",
                );
                diagnostic = diagnostic.severity(crate::diagnostic::Severity::Info);
            }
            diagnostics.push(diagnostic)
        }
    }
    (file, diagnostics)
}

/// A test hook, only in builds with the `test-hooks` feature (the test suite's): it makes
/// magelint report E000 for a file the caller names, and reads and writes nothing else.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    /// `MAGELINT_TEST_PANIC_ON=<file name>` makes checking a file of that name panic, so the
    /// tests can show that a bug costs one file (E000, exit 2) and not the run.
    pub fn panic_if_asked(path: &std::path::Path) {
        if let Some(name) = std::env::var_os("MAGELINT_TEST_PANIC_ON") {
            if path.file_name() == Some(name.as_os_str()) {
                panic!("MAGELINT_TEST_PANIC_ON hook for {}", path.display());
            }
        }
    }
}

/// Parses a file by its format (a Docker Compose file: its YAML, then its services'
/// `environment` as compose reads them).
pub fn parse(source: &SourcePath, text: &str, limits: &Limits) -> Result<Document, ParseError> {
    match source.format {
        Format::Php => syntax::php::parse(text, limits),
        Format::Yaml if matches!(source.kind, FileKind::DockerCompose { .. }) => {
            let mut document = syntax::yaml::parse(text, limits)?;
            // Go's YAML reader, which compose uses, refuses a repeated key anywhere.
            if let Some(duplicate) = document.duplicates.first() {
                return Err(ParseError::new(
                    format!(
                        "key `{}` is written twice: Docker Compose refuses the file (\"mapping key already defined\")",
                        duplicate.key
                    ),
                    duplicate.again,
                ));
            }
            syntax::compose::read_environment(&mut document, text)?;
            Ok(document)
        }
        Format::Yaml => syntax::yaml::parse(text, limits),
        Format::Json => syntax::json::parse(text, limits),
        Format::DotEnv => syntax::dotenv::parse(text),
        Format::Nginx => syntax::nginx::parse(text, limits),
        Format::Xml => syntax::xml::parse(text),
        Format::Presence => Ok(syntax::presence::parse(text)),
    }
}

fn not_a_config_array(id: FileId, source: &SourcePath, document: &Document) -> Option<Diagnostic> {
    if !source.kind.is_deployment_config() || source.format != Format::Php {
        return None;
    }
    let root = &document.root;
    let found = match &root.value {
        Value::Array { .. } | Value::Dynamic(_) => return None,
        _ if document.no_return => "has no top-level `return`, so `include` yields 1".to_string(),
        value => format!("returns {} instead of an array", value.type_name()),
    };
    Some(
        Diagnostic::new(
            rules::NotAConfigArray::RULE,
            Location::new(id, root.span),
            format!("{} {found}", source.kind.describe()),
        )
        .help("Magento requires `return [ ... ];` (\"Invalid configuration file\" otherwise)"),
    )
}
