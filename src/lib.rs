//! magelint: a static linter for Magento 2 / Adobe Commerce configuration.
//!
//! The data flows one way: discover → syntax (spanned documents) → model (sites, data spaces)
//! → check (schemas, rules) → suppress → report.

pub mod allocator;
pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod lean;
pub mod lint;
pub mod model;
pub mod read;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod select;
pub mod server;
pub mod settings;
pub mod simd;
pub mod sources;
pub mod suppress;
pub mod syntax;
pub mod timings;

pub use lint::{lint, LintOptions, Report};
