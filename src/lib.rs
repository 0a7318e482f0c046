//! magelint: a static linter for Magento 2 / Adobe Commerce configuration.
//!
//! The data flows one way: discover → syntax (spanned documents) → model (sites, data spaces)
//! → check (schemas, rules) → suppress → report.

pub mod syntax;
