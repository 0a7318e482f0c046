//! magelint: a static linter for Magento 2 / Adobe Commerce configuration.
//!
//! The data flows one way: discover → syntax (spanned documents) → facts → model (sites, data
//! spaces) → check (schemas, rules) → suppress → baseline → report. `lint` orchestrates it for
//! every front end (CLI, stdin, the editor's `workspace`).
#![deny(unsafe_code)]

pub mod baseline;
pub mod check;
pub mod cloud;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod ece_coverage;
pub mod ece_schema;
pub mod ece_tools;
pub mod facts;
pub mod git;
pub mod lint;
pub mod map;
pub mod model;
pub mod options;
pub mod read;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod select;
pub mod semver;
pub mod server;
pub mod settings;
pub mod sources;
pub mod suppress;
pub mod syntax;
pub mod sys;
pub mod timings;
pub mod workspace;

pub use lint::lint;
pub use options::LintOptions;
pub use run::Report;
pub use sys::{allocator, simd};
