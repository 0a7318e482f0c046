//! Scalar and key resolution for the saphyr path: what Symfony YAML 5.4 (ece-tools' reader)
//! makes of each scalar, its tags included. Plain scalars follow `symfony::plain`.
//!
//! Tags as Symfony reads them with `Yaml::PARSE_CONSTANT` and nothing else: `!!str`, `!!float`,
//! `!!binary` and the non-specific `!` are read; `!php/const NAME` is the constant's value (a
//! run-time value when magelint does not know the constant); `!php/object` is null (object
//! support is off); any other tag makes Symfony refuse the file.

use saphyr_parser::{ScalarStyle, Tag};

use super::symfony;
use crate::syntax::{Key, Value};

/// What a scalar evaluates to. `Err` carries the reason Symfony YAML refuses it. `source_text`
/// is the node as written (properties included), for run-time tags.
pub(super) fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    source_text: &str,
) -> Result<Value, String> {
    let Some(tag) = tag else {
        return if style == ScalarStyle::Plain {
            symfony::plain(text)
        } else {
            Ok(Value::String(text.into()))
        };
    };
    if tag.is_yaml_core_schema() {
        return match tag.suffix.as_str() {
            "str" if !text.is_empty() => Ok(Value::String(text.into())),
            "float" => Ok(Value::Float(leading_float(text))),
            // Decoded by Symfony; the bytes are not a config value magelint checks.
            "binary" => Ok(Value::Dynamic(source_text.to_string())),
            other => Err(format!(
                "Symfony YAML does not implement the tag `!!{other}` here and refuses the file"
            )),
        };
    }
    if tag.handle.is_empty() && tag.suffix == "!" {
        // Symfony drops the non-specific tag `! value` and reads the value as untagged.
        return scalar(text, style, None, source_text);
    }
    if tag.handle == "!" {
        match tag.suffix.as_str() {
            "php/const" => {
                return Ok(symfony::constant(text)
                    .map_or_else(|| Value::Dynamic(source_text.to_string()), Value::Int))
            }
            // Without Yaml::PARSE_OBJECT, Symfony reads `!php/object` as null.
            "php/object" => return Ok(Value::Null),
            _ => {}
        }
    }
    Err(custom_tag(tag))
}

/// The key a scalar makes as Symfony YAML reads it; `Err` when Symfony refuses it as a key.
pub(super) fn key(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    source_text: &str,
) -> Result<Key, String> {
    match tag {
        None if style == ScalarStyle::Plain => symfony::plain_key(text),
        None => Ok(symfony::string_key(text)),
        Some(tag) if tag.handle == "!" && tag.suffix == "php/const" => {
            Ok(symfony::constant(text).map_or_else(|| Key::Str(source_text.into()), Key::Int))
        }
        Some(tag) if tag.is_yaml_core_schema() && tag.suffix == "str" => {
            Ok(symfony::string_key(text))
        }
        Some(tag) if tag.handle.is_empty() && tag.suffix == "!" => key(text, style, None, text),
        Some(tag) => Err(format!(
            "Symfony YAML refuses the tagged mapping key `{source_text}` ({})",
            custom_tag(tag)
        )),
    }
}

pub(super) fn custom_tag(tag: &Tag) -> String {
    let shown = if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    format!("Symfony YAML, as ece-tools calls it, refuses the tag `{shown}` (custom tags are off)")
}

/// PHP's (float) cast: the longest leading decimal number, else 0.
fn leading_float(text: &str) -> f64 {
    let text = text.trim();
    (1..=text.len())
        .rev()
        .filter(|&i| text.is_char_boundary(i))
        .map(|i| &text[..i])
        // Rust also reads `inf` and `nan`; PHP's cast does not.
        .filter(|p| !p.contains(['i', 'I', 'n', 'N']))
        .find_map(|p| p.parse::<f64>().ok())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::leading_float;

    #[test]
    fn php_float_cast() {
        assert_eq!(leading_float("1.5"), 1.5);
        assert_eq!(leading_float("12abc"), 12.0);
        assert_eq!(leading_float("abc"), 0.0);
        assert_eq!(leading_float("-inf"), 0.0);
    }
}
