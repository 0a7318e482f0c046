//! PHP config files: a complete lexer and a recursive-descent parser for the value subset.
//!
//! * `lexer` cuts the file into small tokens (all of PHP, so unknown statements can be skipped
//!   safely); `cursor` hands them to the parser on demand with one token of lookahead;
//!   `literal` decodes strings, heredocs and numbers when they are evaluated.
//! * `fast` reads the shape Magento itself writes (`return` of literal arrays) straight from the
//!   bytes, and leaves every other file to the parser below.
//! * `parser` evaluates expressions (precedence climbing, `fold` for known values); what cannot
//!   be known statically becomes `Value::Dynamic(source text)`.
//! * `array` builds array literals with PHP's key rules and records duplicate keys.
//! * `stmt` runs the top level: `return`, tracked `$var = …;` assignments, skipped statements.
//!
//! Recursion is bounded everywhere: arrays by `Limits::max_depth`, other nesting (parentheses,
//! unary chains, right-associative operators, string interpolation) by a limit derived from it.

mod array;
mod cursor;
mod fallback;
mod fast;
#[cfg(test)]
mod fast_tests;
mod fold;
mod keyword;
mod lexer;
mod literal;
mod number;
mod parser;
mod scan;
mod stmt;
#[cfg(test)]
mod tests;

pub use fallback::fallback_literals;

use super::{Document, Limits, ParseError};

/// Parses a PHP config file into its statically known value.
pub fn parse(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    array::with_scratch(|mut scratch| {
        // Most files are written by Magento itself, in the one shape `fast` reads.
        if let Some(document) = fast::parse(source, limits, &mut scratch) {
            return (Ok(document), scratch);
        }
        full(source, limits, scratch)
    })
}

/// The full parser, which reads any PHP file.
fn full(
    source: &str,
    limits: &Limits,
    scratch: array::Scratch,
) -> (Result<Document, ParseError>, array::Scratch) {
    let tokens = cursor::Tokens::new(source, limits.max_depth);
    let mut parser = parser::Parser::new(source, cursor::Cursor::new(tokens), *limits, scratch);
    let result = parse_with(&mut parser);
    (result, std::mem::take(&mut parser.scratch))
}

fn parse_with(parser: &mut parser::Parser<'_>) -> Result<Document, ParseError> {
    let result = parser.parse_program();
    // A lexer error anywhere in the file wins, as when the whole file is lexed first.
    if let Some(e) = parser.cursor.tokens.finish() {
        return Err(e);
    }
    let (root, no_return) = result?;
    Ok(Document {
        root,
        duplicates: std::mem::take(&mut parser.duplicates),
        no_return,
    })
}
