//! `magelint server`: a Language Server over stdio (synchronous, `lsp-server` + `lsp-types`).
//!
//! Each workspace folder is a `Workspace` with its own `.magelint.yaml`: checked once when the
//! server starts, then kept. After a burst of edits (debounced) only the edited files' per-file
//! stage runs again, then the fleet stage over the kept facts, and every open document whose
//! diagnostics changed is published, since an edit in one installation can raise or clear a
//! finding in another's file (MS002). Files changed outside the editor arrive as watched-file
//! events; a save also rescans the folders (a branch switch, a generator).

pub mod actions;
pub mod convert;
mod map;

use crate::discover::classify;
use crate::options::LintOptions;
use crate::settings;
use crate::workspace::Workspace;
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
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The command that draws the workspace's map (`magelint map --format html`) and returns the
/// page's path.
pub const SHOW_MAP: &str = "magelint.showMap";

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
    /// One per workspace folder, in the order of `roots`.
    folders: Vec<Workspace>,
    documents: HashMap<Url, Document>,
    /// Open documents whose text changed since the last lint.
    edited: HashSet<PathBuf>,
    /// Files to read again from disk at the next lint (closed, or changed outside the editor).
    from_disk: HashSet<PathBuf>,
    /// Files deleted outside the editor.
    deleted: HashSet<PathBuf>,
    /// A save asked for a rescan of the folders.
    rescan: bool,
    /// A `.magelint.yaml` changed: the folders are loaded again.
    reload: bool,
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
        execute_command_provider: Some(lsp_types::ExecuteCommandOptions {
            commands: vec![SHOW_MAP.into()],
            ..lsp_types::ExecuteCommandOptions::default()
        }),
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
        State {
            roots: roots.iter().map(|r| convert::absolute(r)).collect(),
            folders: Vec::new(),
            documents: HashMap::new(),
            edited: HashSet::new(),
            from_disk: HashSet::new(),
            deleted: HashSet::new(),
            rescan: false,
            reload: false,
            pending: None,
            last_change: Instant::now(),
            out: Vec::new(),
        }
    }

    /// Runs `f`, turning a panic into a logged error: the server never goes down on input.
    fn guarded(&mut self, f: impl FnOnce(&mut State)) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(self))) {
            let message = crate::check::panic_message(panic.as_ref());
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

    /// Loads every workspace folder: its `.magelint.yaml` and files, with the open buffers.
    fn index(&mut self) {
        let buffers: HashMap<PathBuf, String> = self
            .documents
            .values()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        let mut folders = Vec::new();
        for root in self.roots.clone() {
            let options = self.folder_options(&root);
            let workspace = Workspace::load(options, &buffers);
            self.log(
                MessageType::INFO,
                format!(
                    "{}: indexed {} configuration files",
                    root.display(),
                    workspace.len()
                ),
            );
            folders.push(workspace);
        }
        self.folders = folders;
        self.edited.clear();
        self.from_disk.clear();
        self.deleted.clear();
        self.rescan = false;
        self.reload = false;
    }

    /// The options of one workspace folder, as `check` would take them in it.
    fn folder_options(&mut self, root: &Path) -> LintOptions {
        let mut options = LintOptions {
            paths: vec![root.to_path_buf()],
            base_dir: root.to_path_buf(),
            ..LintOptions::default()
        };
        let Some(path) = settings::find_upward(root) else {
            return options;
        };
        let applied = settings::load_for_run(&path, root)
            .map_err(|e| e.to_string())
            .and_then(|found| settings::apply(&mut options, &found));
        if let Err(error) = applied {
            self.notify::<notification::ShowMessage>(lsp_types::ShowMessageParams {
                typ: MessageType::WARNING,
                message: format!("magelint: invalid configuration: {error}"),
            });
        }
        options
    }

    /// The folder holding `path` (the innermost, when folders nest).
    fn folder_of(&self, path: &Path) -> Option<usize> {
        self.roots
            .iter()
            .enumerate()
            .filter(|(_, root)| path.starts_with(root))
            .max_by_key(|(_, root)| root.as_os_str().len())
            .map(|(index, _)| index)
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
                self.edited.insert(path.clone());
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
                self.edited.insert(document.path.clone());
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
                    // The disk text replaces the buffer for the other documents' fleet view.
                    self.edited.remove(&document.path);
                    self.from_disk.insert(document.path);
                }
                self.schedule();
            }
            notification::DidSaveTextDocument::METHOD => {
                self.rescan = true;
                self.schedule();
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let Ok(params) =
                    parse::<lsp_types::DidChangeWatchedFilesParams>(notification.params)
                else {
                    return;
                };
                for change in params.changes {
                    let Ok(path) = change.uri.to_file_path() else {
                        continue;
                    };
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.starts_with(".magelint.") {
                        self.reload = true;
                    } else if change.typ == lsp_types::FileChangeType::DELETED {
                        self.from_disk.remove(&path);
                        self.deleted.insert(path);
                    } else {
                        self.deleted.remove(&path);
                        self.from_disk.insert(path);
                    }
                }
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
            request::ExecuteCommand::METHOD => {
                match parse::<lsp_types::ExecuteCommandParams>(request.params) {
                    Ok(params) if params.command == SHOW_MAP => match self.show_map(&params) {
                        Ok(path) => Response::new_ok(id, path),
                        Err(message) => {
                            Response::new_err(id, ErrorCode::RequestFailed as i32, message)
                        }
                    },
                    Ok(params) => invalid(id, format!("unknown command {}", params.command)),
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

    /// Brings the folders up to date with the edits, the disk and the open buffers, and
    /// publishes every open document whose diagnostics changed.
    fn relint(&mut self) {
        self.pending = None;
        if self.reload {
            self.index();
        }
        let open: HashMap<PathBuf, String> = self
            .documents
            .values()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        for path in std::mem::take(&mut self.deleted) {
            if let Some(folder) = self.folder_of(&path) {
                if !open.contains_key(&path) {
                    self.folders[folder].remove(&path);
                }
            }
        }
        for path in std::mem::take(&mut self.from_disk) {
            if let Some(folder) = self.folder_of(&path) {
                if !open.contains_key(&path) {
                    self.folders[folder].set_text(&path, None);
                }
            }
        }
        for path in std::mem::take(&mut self.edited) {
            if let (Some(folder), Some(text)) = (self.folder_of(&path), open.get(&path)) {
                self.folders[folder].set_text(&path, Some(text.clone()));
            }
        }
        if std::mem::take(&mut self.rescan) {
            let is_open = |p: &Path| open.contains_key(p);
            for folder in &mut self.folders {
                folder.rescan(&is_open);
            }
        }
        let mut published: HashMap<Url, Vec<lsp_types::Diagnostic>> = HashMap::new();
        // Each open document belongs to the innermost folder holding it.
        let owners: Vec<(Url, PathBuf, usize)> = self
            .documents
            .iter()
            .filter_map(|(uri, d)| Some((uri.clone(), d.path.clone(), self.folder_of(&d.path)?)))
            .collect();
        for (index, folder) in self.folders.iter_mut().enumerate() {
            let subjects: Vec<(Url, usize)> = owners
                .iter()
                .filter(|(_, _, owner)| *owner == index)
                .filter_map(|(uri, path, _)| Some((uri.clone(), folder.file_id(path)?)))
                .collect();
            if subjects.is_empty() {
                continue;
            }
            let ids: Vec<usize> = subjects.iter().map(|(_, id)| *id).collect();
            let report = folder.report(&ids);
            for (uri, id) in subjects {
                published.insert(uri, convert::file_diagnostics(&report, id));
            }
            folder.keep(report);
        }
        // An open document outside every folder is linted with its own installation, as
        // `check --stdin-filename` does.
        for (uri, document) in &self.documents {
            if published.contains_key(uri)
                || classify(&document.path).is_none()
                || self.folder_of(&document.path).is_some()
            {
                continue;
            }
            let options = LintOptions::default();
            let report = crate::lint::lint_text(&document.path, document.text.clone(), &options);
            published.insert(uri.clone(), convert::file_diagnostics(&report, 0));
        }
        let mut publish = Vec::new();
        for (uri, document) in self.documents.iter_mut() {
            let Some(diagnostics) = published.remove(uri) else {
                continue;
            };
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
