//! JSON Pointers and key texts of the model, built without the formatting machinery: resolve
//! makes one per scope code, CONFIG__ variable and website key of every installation.

use crate::syntax::Key;
use compact_str::CompactString;
use std::borrow::Cow;

/// The key as text (`Key`'s `Display`), borrowed when it is a string.
pub fn key_text(key: &Key) -> Cow<'_, str> {
    match key {
        Key::Str(text) => Cow::Borrowed(text.as_str()),
        Key::Int(number) => Cow::Owned(number.to_string()),
    }
}

/// The parts one after the other (`format!("{a}{b}…")`), inline when short.
pub fn joined(parts: &[&str]) -> CompactString {
    let mut out = CompactString::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_what_format_prints() {
        for key in [
            Key::Str("base".into()),
            Key::Str("a key longer than twenty-four bytes".into()),
            Key::Str("".into()),
            Key::Int(-12),
        ] {
            assert_eq!(key_text(&key), format!("{key}"));
            let pointer = joined(&["/scopes/websites/", &key_text(&key)]);
            assert_eq!(pointer, format!("/scopes/websites/{key}"));
        }
        assert_eq!(joined(&[]), "");
    }
}
