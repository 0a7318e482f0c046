//! check: the two stages of the engine. `file` runs on each file alone (read → parse → schema
//! and file rules → facts); `fleet` runs on the facts of all files (resolve → site and fleet
//! rules). Neither knows who called it: the CLI, stdin and the editor share them.

pub mod env_yaml;
pub mod file;
pub mod fleet;
#[cfg(test)]
mod pointer_tests;

use crate::options::LintOptions;
use crate::rules::{Registered, RULES};

/// The rules the selection of `options` runs, in registry order (decided once per run, not
/// once per file and rule).
pub fn enabled_rules(options: &LintOptions) -> Vec<&'static Registered> {
    RULES
        .iter()
        .filter(|rule| options.selection.is_enabled(rule.meta.code))
        .collect()
}

/// Stack of each checking thread. Parsing, dropping and validating a tree recurse once per
/// nesting level (at most `MAX_DEPTH_CEILING`); the default 2 MiB of a thread is too tight for
/// that in a debug build. Untouched stack pages cost no memory.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The thread pool files are checked on (`None` if it cannot be built: the global pool then).
fn worker_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK)
            .thread_name(|i| format!("magelint-check-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on the checking pool (big stacks), so its parallel parts do too.
pub fn in_worker_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match worker_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Hands the memory the per-file stage freed (texts, whole trees) back to the system before
/// the fleet is resolved: each thread's allocator would otherwise keep it beside the fleet
/// model, and a large fleet's peak would hold both. Asked on every checking thread.
pub fn release_freed_memory() {
    crate::sys::purge_freed_pages_at_once();
    in_worker_pool(|| {
        rayon::broadcast(|_| crate::sys::collect_freed_memory());
    });
    crate::sys::collect_freed_memory();
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Every rule's firing fixture directories (`fixtures/rules/<CODE>/fires*`), for the tests that
/// check a property of every finding.
#[cfg(test)]
fn firing_fixtures() -> Vec<std::path::PathBuf> {
    let mut cases = Vec::new();
    for rule in RULES {
        let dir = std::path::Path::new("fixtures/rules").join(rule.meta.code);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        cases.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("fires"))
                }),
        );
    }
    cases
}
