//! parse: every config format becomes the same spanned `Document`.

pub mod compose;
mod document;
pub mod dotenv;
pub mod dump;
pub mod interpolation;
pub mod json;
pub mod nginx;
pub mod php;
pub mod presence;
mod source;
pub mod xml;
pub mod yaml;

pub use document::{
    push_pointer, Document, DuplicateKey, Entry, Key, KeySpan, Node, ParseError, Span, Value,
};
pub use source::{span_positions, LineIndex, Position};

/// Resource limits that keep hostile input from exhausting the stack or memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest array nesting accepted; deeper input is a parse error at the offending bracket.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        // Real config files nest < 15 levels; 256 leaves room and keeps recursion shallow.
        Limits { max_depth: 256 }
    }
}
