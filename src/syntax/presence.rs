//! Files only whose presence matters (build_options.ini): never parsed; the document is an
//! empty mapping over the whole text, so the file joins its installation like any other.

use super::{Document, Node, Span, Value};

pub fn parse(text: &str) -> Document {
    Document::new(Node::new(
        Value::Array {
            entries: Vec::new(),
            list: false,
        },
        Span::new(0, text.len()),
    ))
}
