//! Scalar resolution by the YAML 1.2 core schema (what Symfony YAML 4+ and saphyr agree on).
//!
//! YAML 1.1 words like `yes`/`no`/`on`/`off` stay strings, as in Symfony YAML 4+; leading-zero
//! numbers are decimal; `0o17` and `0x1F` are octal and hex.

use saphyr_parser::{ScalarStyle, Tag};

use crate::syntax::Value;

/// What a scalar evaluates to. `Err` carries a message for a tagged value that does not fit its
/// tag. `source_text` is the node as written (properties included), for run-time tags.
pub(super) fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    source_text: &str,
) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            core(text)
        } else {
            Value::String(text.into())
        });
    };
    if tag.is_yaml_core_schema() {
        let bad = |kind: &str| format!("`{text}` is not a valid !!{kind} value");
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.into())),
            "null" => match core(text) {
                Value::Null => Ok(Value::Null),
                _ => Err(bad("null")),
            },
            "bool" => match core(text) {
                v @ Value::Bool(_) => Ok(v),
                _ => Err(bad("bool")),
            },
            "int" => match core(text) {
                v @ Value::Int(_) => Ok(v),
                _ => Err(bad("int")),
            },
            "float" => match core(text) {
                Value::Int(i) => Ok(Value::Float(i as f64)),
                v @ Value::Float(_) => Ok(v),
                _ => Err(bad("float")),
            },
            _ => Ok(Value::String(text.into())),
        };
    }
    if tag.handle.is_empty() && tag.suffix == "!" {
        // The non-specific tag `! value` forces a string.
        return Ok(Value::String(text.into()));
    }
    if tag.handle == "!" && tag.suffix.starts_with("php/") {
        // Symfony's `!php/const`, `!php/enum`, `!php/object`: known only at run time.
        return Ok(Value::Dynamic(source_text.to_string()));
    }
    // Other local tags are ignored: the value reads as if untagged.
    Ok(if style == ScalarStyle::Plain {
        core(text)
    } else {
        Value::String(text.into())
    })
}

/// Resolves a plain scalar by the core schema.
pub(super) fn core(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = radix_int(text, "0x", 16).or_else(|| radix_int(text, "0o", 8)) {
        return v;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Like PHP, an integer too large for 64 bits becomes a float.
            Err(_) => text
                .parse::<f64>()
                .map_or_else(|_| Value::String(text.into()), Value::Float),
        };
    }
    if is_core_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::String(text.into())
}

fn radix_int(text: &str, prefix: &str, radix: u32) -> Option<Value> {
    let digits = text.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(
            digits
                .chars()
                .filter_map(|c| c.to_digit(radix))
                .fold(0.0, |acc, d| acc * f64::from(radix) + f64::from(d)),
        ),
    })
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign is already stripped).
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int_part, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int_part.is_empty() && all_digits(int_part),
        Some(frac) => {
            all_digits(int_part) && all_digits(frac) && !(int_part.is_empty() && frac.is_empty())
        }
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(core("~"), Value::Null);
        assert_eq!(core("NULL"), Value::Null);
        assert_eq!(core("True"), Value::Bool(true));
        assert_eq!(core("yes"), Value::String("yes".into()));
        assert_eq!(core("off"), Value::String("off".into()));
        assert_eq!(core("-12"), Value::Int(-12));
        assert_eq!(core("0755"), Value::Int(755));
        assert_eq!(core("0o17"), Value::Int(15));
        assert_eq!(core("0x1F"), Value::Int(31));
        assert_eq!(core("1.5e3"), Value::Float(1500.0));
        assert_eq!(core(".5"), Value::Float(0.5));
        assert_eq!(core("1."), Value::Float(1.0));
        assert_eq!(core("-.inf"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(core(".nan"), Value::Float(f) if f.is_nan()));
        assert_eq!(core("99999999999999999999"), Value::Float(1e20));
        for s in [
            ".",
            "1e",
            "e3",
            "1_000",
            "0x",
            "1.2.3",
            "--1",
            "+",
            "1:20",
            "2024-01-01",
        ] {
            assert_eq!(core(s), Value::String(s.into()), "{s}");
        }
    }
}
