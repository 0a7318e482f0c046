//! JSON exports of env.php / config.php, with spans.

use super::{Document, Limits, ParseError, Span};

/// Parses a JSON text.
pub fn parse(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    let _ = (source, limits);
    Err(ParseError::new(
        "the JSON parser is not built yet",
        Span::empty_at(0),
    ))
}
