//! `magelint server`: a Language Server over stdio (synchronous, `lsp-server` + `lsp-types`).
//!
//! It keeps the workspace's file list and the open buffers' texts; after a burst of edits
//! (debounced) it lints the whole fleet with the buffers overlaid on the disk, and publishes the
//! diagnostics of every open document, since an edit in one installation can raise or clear a
//! finding in another's file (MS002).

pub mod actions;
pub mod convert;

use crate::discover::{classify, SourcePath, WalkOptions};
use crate::lint::{discover_sources, display_path, lint_overlay, Exclude, LintOptions};
use crate::select::Selection;
use crate::settings;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    HoverProviderCapability, InitializeParams, MessageType, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Quiet time after the last edit before linting.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Longest a pending lint waits while messages keep arriving.
const MAX_DELAY: Duration = Duration::from_millis(1000);

/// One open document.
struct Document {
    path: PathBuf,
    version: i32,
    text: String,
    /// What was published last (the code actions and hover work from it).
    published: Option<Vec<lsp_types::Diagnostic>>,
}

/// The server's state.
struct State {
    roots: Vec<PathBuf>,
    options: LintOptions,
    /// The workspace's files, absolute paths.
    sources: Vec<SourcePath>,
    documents: HashMap<Url, Document>,
    /// Since when a lint has been pending.
    pending: Option<Instant>,
    last_change: Instant,
    /// Outgoing messages.
    out: Vec<Message>,
}

/// Runs the server on stdin/stdout until the client says `exit`. Returns a process exit status.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())
}

/// Runs the protocol on `connection` (stdio in production, in memory in unit tests).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("initialize: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "magelint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("initialize: {e}"))?;
    let mut state = State::new(workspace_roots(&params));
    state.index();
    if watches_files(&params) {
        state.register_watchers();
    }
    state.flush(connection)?;
    loop {
        let wait = match state.pending {
            Some(since) => {
                let quiet = DEBOUNCE.saturating_sub(state.last_change.elapsed());
                quiet.min(MAX_DELAY.saturating_sub(since.elapsed()))
            }
            None => Duration::from_secs(3600),
        };
        match connection.receiver.recv_timeout(wait) {
            Ok(Message::Request(request)) => {
                if request.method == request::Shutdown::METHOD {
                    // Answered; a client that then closes the pipe without `exit` is done too.
                    let _ = connection.handle_shutdown(&request);
                    return Ok(());
                }
                state.guarded(|s| s.request(request));
            }
            Ok(Message::Notification(notification)) => {
                if notification.method == notification::Exit::METHOD {
                    return Ok(());
                }
                state.guarded(|s| s.notification(notification));
            }
            Ok(Message::Response(_)) => {}
            Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => {}
            Err(_) => return Ok(()),
        }
        if let Some(since) = state.pending {
            if state.last_change.elapsed() >= DEBOUNCE || since.elapsed() >= MAX_DELAY {
                state.guarded(State::relint);
            }
        }
        state.flush(connection)?;
    }
}

fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
    }
    if roots.is_empty() {
        roots.extend(std::env::current_dir().ok());
    }
    roots
}

fn watches_files(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

impl State {
    fn new(roots: Vec<PathBuf>) -> State {
        let options = LintOptions {
            paths: roots.iter().map(|r| convert::absolute(r)).collect(),
            base_dir: roots
                .first()
                .map(|r| convert::absolute(r))
                .unwrap_or_default(),
            walk: WalkOptions::default(),
            ..LintOptions::default()
        };
        State {
            roots,
            options,
            sources: Vec::new(),
            documents: HashMap::new(),
            pending: None,
            last_change: Instant::now(),
            out: Vec::new(),
        }
    }

    /// Runs `f`, turning a panic into a logged error: the server never goes down on input.
    fn guarded(&mut self, f: impl FnOnce(&mut State)) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(self))) {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            self.pending = None;
            self.log(
                MessageType::ERROR,
                format!("internal error (a bug in magelint; please report it): {message}"),
            );
        }
    }

    fn flush(&mut self, connection: &Connection) -> Result<(), String> {
        for message in self.out.drain(..) {
            connection
                .sender
                .send(message)
                .map_err(|e| format!("the client went away: {e}"))?;
        }
        Ok(())
    }

    fn notify<N: notification::Notification>(&mut self, params: N::Params) {
        self.out.push(Message::Notification(Notification::new(
            N::METHOD.into(),
            params,
        )));
    }

    fn log(&mut self, typ: MessageType, message: String) {
        self.notify::<notification::LogMessage>(lsp_types::LogMessageParams { typ, message });
    }

    /// Reads the settings of the workspace's `.magelint.yaml` and discovers its files, as `check`.
    fn index(&mut self) {
        let mut options = LintOptions {
            paths: self.roots.iter().map(|r| convert::absolute(r)).collect(),
            base_dir: self.options.base_dir.clone(),
            ..LintOptions::default()
        };
        if let Some(path) = self.roots.first().and_then(|r| settings::find_upward(r)) {
            let dir = path
                .parent()
                .map(|d| display_path(d, &options.base_dir))
                .unwrap_or_default();
            let dir = if dir == "." { String::new() } else { dir };
            match settings::load(&path, &dir) {
                Ok(found) => {
                    options.selection = Selection {
                        select: found.select.clone(),
                        ignore: found.ignore.clone(),
                        severity: found.severity.clone(),
                    };
                    if let Some(globs) = &found.exclude {
                        options.exclude.push(Exclude {
                            globs: globs.clone(),
                            base: dir,
                        });
                    }
                    options.path_ignores = found.per_file_ignores.clone();
                }
                Err(error) => {
                    self.notify::<notification::ShowMessage>(lsp_types::ShowMessageParams {
                        typ: MessageType::WARNING,
                        message: format!("magelint: invalid configuration: {error}"),
                    })
                }
            }
        }
        let (sources, problems) = discover_sources(&options);
        for problem in problems {
            self.log(
                MessageType::WARNING,
                format!(
                    "cannot read {}: {}",
                    problem.path.display(),
                    problem.message
                ),
            );
        }
        self.sources = sources
            .into_iter()
            .map(|mut s| {
                s.path = convert::absolute(&s.path);
                s
            })
            .collect();
        self.options = options;
        self.log(
            MessageType::INFO,
            format!("indexed {} configuration files", self.sources.len()),
        );
    }

    fn register_watchers(&mut self) {
        let globs = [
            "**/app/etc/**",
            "**/.magento*",
            "**/.magento/*.yaml",
            "**/composer.json",
            "**/.magelint.y*ml",
        ];
        let watchers: Vec<_> = globs
            .iter()
            .map(|g| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "magelint-watch".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(
                    lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers },
                )
                .ok(),
            }],
        };
        self.out.push(Message::Request(Request::new(
            RequestId::from("magelint-register-watchers".to_string()),
            request::RegisterCapability::METHOD.into(),
            params,
        )));
    }

    fn schedule(&mut self) {
        self.pending.get_or_insert_with(Instant::now);
        self.last_change = Instant::now();
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(params) = parse::<DidOpenTextDocumentParams>(notification.params) else {
                    return;
                };
                let document = params.text_document;
                let Ok(path) = document.uri.to_file_path() else {
                    return;
                };
                self.documents.insert(
                    document.uri,
                    Document {
                        path,
                        version: document.version,
                        text: document.text,
                        published: None,
                    },
                );
                self.schedule();
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(params) = parse::<DidChangeTextDocumentParams>(notification.params) else {
                    return;
                };
                let Some(document) = self.documents.get_mut(&params.text_document.uri) else {
                    return;
                };
                // Full sync: the last change holds the whole text (a ranged change is applied).
                for change in params.content_changes {
                    match change.range {
                        None => document.text = change.text,
                        Some(range) => {
                            let start = convert::offset(&document.text, range.start);
                            let end = convert::offset(&document.text, range.end).max(start);
                            document.text.replace_range(start..end, &change.text);
                        }
                    }
                }
                document.version = params.text_document.version;
                self.schedule();
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(params) = parse::<DidCloseTextDocumentParams>(notification.params) else {
                    return;
                };
                let uri = params.text_document.uri;
                if let Some(document) = self.documents.remove(&uri) {
                    if document.published.is_some_and(|p| !p.is_empty()) {
                        self.notify::<notification::PublishDiagnostics>(
                            PublishDiagnosticsParams::new(uri, Vec::new(), None),
                        );
                    }
                }
                // The disk text replaces the buffer for the other documents' fleet view.
                self.schedule();
            }
            notification::DidSaveTextDocument::METHOD
            | notification::DidChangeWatchedFiles::METHOD => {
                self.index();
                self.schedule();
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            request::CodeActionRequest::METHOD => {
                match parse::<lsp_types::CodeActionParams>(request.params) {
                    Ok(params) => {
                        let uri = params.text_document.uri;
                        let actions = self.documents.get(&uri).and_then(|d| {
                            let (_, format) = classify(&d.path)?;
                            Some(actions::code_actions(
                                &uri,
                                &d.text,
                                format,
                                &params.context.diagnostics,
                            ))
                        });
                        Response::new_ok(id, actions.unwrap_or_default())
                    }
                    Err(message) => invalid(id, message),
                }
            }
            request::HoverRequest::METHOD => {
                match parse::<lsp_types::HoverParams>(request.params) {
                    Ok(params) => {
                        if self.pending.is_some() {
                            self.relint();
                        }
                        let at = params.text_document_position_params;
                        let hover = self.documents.get(&at.text_document.uri).and_then(|d| {
                            let published = d.published.as_deref().unwrap_or_default();
                            actions::hover(&d.text, published, at.position)
                        });
                        Response::new_ok(id, hover)
                    }
                    Err(message) => invalid(id, message),
                }
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unsupported request {}", request.method),
            ),
        };
        self.out.push(Message::Response(response));
    }

    /// Lints the fleet with the open buffers overlaid and publishes every open document whose
    /// diagnostics changed.
    fn relint(&mut self) {
        self.pending = None;
        let mut sources = self.sources.clone();
        let mut overlays = HashMap::new();
        for document in self.documents.values() {
            if !sources.iter().any(|s| s.path == document.path) {
                // A new file the index has not seen, if its name makes it a config file.
                let Some((kind, format)) = classify(&document.path) else {
                    continue;
                };
                sources.push(SourcePath {
                    path: document.path.clone(),
                    kind,
                    format,
                    explicit: true,
                });
            }
            overlays.insert(document.path.clone(), document.text.clone());
        }
        if overlays.is_empty() {
            return;
        }
        let report = lint_overlay(&sources, &overlays, &self.options);
        let mut publish = Vec::new();
        for (uri, document) in self.documents.iter_mut() {
            let Some(file) = sources.iter().position(|s| s.path == document.path) else {
                continue;
            };
            let diagnostics = convert::file_diagnostics(&report, file);
            if document.published.as_ref() != Some(&diagnostics) {
                document.published = Some(diagnostics.clone());
                publish.push(PublishDiagnosticsParams::new(
                    uri.clone(),
                    diagnostics,
                    Some(document.version),
                ));
            }
        }
        for params in publish {
            self.notify::<notification::PublishDiagnostics>(params);
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

fn invalid(id: RequestId, message: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, message)
}
