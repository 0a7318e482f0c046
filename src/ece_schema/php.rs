//! The few PHP semantics ece-tools' schema validator relies on, over values as Symfony YAML
//! reads them: `gettype()`, loose `==` (the `in_array(..., false)` of allowed values) and the
//! string cast `array_diff` compares with.

use crate::syntax::Value;

/// A scalar of a schema (an allowed value) or of a checked file.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Scalar {
    /// The scalar of a parsed value (`None`: an array, or a value only known at run time).
    pub fn of(value: &Value) -> Option<Scalar> {
        Some(match value {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Int(i) => Scalar::Int(*i),
            Value::Float(f) => Scalar::Float(*f),
            Value::String(s) => Scalar::Str(s.to_string()),
            Value::Array { .. } | Value::Dynamic(_) => return None,
        })
    }

    /// The scalar of a JSON value (bundled data, a vendor schema converted to JSON).
    pub fn of_json(value: &serde_json::Value) -> Option<Scalar> {
        use serde_json::Value as Json;
        Some(match value {
            Json::Null => Scalar::Null,
            Json::Bool(b) => Scalar::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(n.as_f64()?),
            },
            Json::String(s) => Scalar::Str(s.clone()),
            Json::Array(_) | Json::Object(_) => return None,
        })
    }

    /// As a message quotes it: strings in quotes, `''` for the empty one.
    pub fn shown(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => float_text(*f),
            Scalar::Str(s) => format!("'{s}'"),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Scalar::Null => false,
            Scalar::Bool(b) => *b,
            Scalar::Int(i) => *i != 0,
            Scalar::Float(f) => *f != 0.0,
            Scalar::Str(s) => !s.is_empty() && s != "0",
        }
    }

    /// PHP's `(string)` cast.
    pub fn cast_to_string(&self) -> String {
        match self {
            Scalar::Null | Scalar::Bool(false) => String::new(),
            Scalar::Bool(true) => "1".into(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => float_text(*f),
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// PHP's `gettype()` of a value as Symfony YAML reads it (`None`: only known at run time).
pub fn gettype(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => "NULL",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "double",
        Value::String(_) => "string",
        Value::Array { .. } => "array",
        Value::Dynamic(_) => return None,
    })
}

/// A `gettype()` name in words, with its article.
pub fn type_in_words(php_type: &str) -> String {
    match php_type {
        "NULL" => "null (an empty value)".into(),
        "boolean" => "a boolean".into(),
        "integer" => "an integer".into(),
        "double" | "float" => "a float".into(),
        "string" => "a string".into(),
        "array" => "a list or map".into(),
        other => format!("of type {other}"),
    }
}

/// PHP 8's loose `==` between two scalars.
pub fn loose_eq(a: &Scalar, b: &Scalar) -> bool {
    use Scalar::*;
    match (a, b) {
        (Null, Null) => true,
        (Bool(_), _) | (_, Bool(_)) => a.truthy() == b.truthy(),
        (Null, Str(s)) | (Str(s), Null) => s.is_empty(),
        (Null, other) | (other, Null) => !other.truthy(),
        (Int(x), Int(y)) => x == y,
        (Int(x), Float(y)) | (Float(y), Int(x)) => (*x as f64) == *y,
        (Float(x), Float(y)) => x == y,
        (Int(_) | Float(_), Str(s)) | (Str(s), Int(_) | Float(_)) => {
            let number = if let Str(_) = a { b } else { a };
            match numeric(s) {
                Some(n) => as_f64(number) == n,
                None => number.cast_to_string() == *s,
            }
        }
        (Str(x), Str(y)) => match (numeric(x), numeric(y)) {
            (Some(m), Some(n)) => m == n,
            _ => x == y,
        },
    }
}

fn as_f64(scalar: &Scalar) -> f64 {
    match scalar {
        Scalar::Int(i) => *i as f64,
        Scalar::Float(f) => *f,
        _ => f64::NAN,
    }
}

/// The number of a PHP 8 numeric string (surrounding whitespace allowed), if it is one.
pub fn numeric(text: &str) -> Option<f64> {
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    let body = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        (!whole.is_empty() || !fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if mantissa_ok && exponent_ok {
        trimmed.parse().ok()
    } else {
        None
    }
}

/// A float as PHP prints it (shortest round trip; integral values without a fraction).
fn float_text(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "INF".into() } else { "-INF".into() };
    }
    if f.is_nan() {
        return "NAN".into();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_equality_follows_php_8() {
        let s = |t: &str| Scalar::Str(t.into());
        assert!(loose_eq(&s("quick"), &s("quick")));
        assert!(!loose_eq(&s("quick"), &s("Quick")));
        assert!(
            loose_eq(&s("1e1"), &s("10")),
            "numeric strings compare as numbers"
        );
        assert!(
            !loose_eq(&s("abc"), &Scalar::Int(0)),
            "PHP 8: 0 == 'abc' is false"
        );
        assert!(loose_eq(&Scalar::Int(1), &s("1.0")));
        assert!(loose_eq(&Scalar::Null, &s("")));
        assert!(!loose_eq(&Scalar::Null, &s("0")));
        assert!(loose_eq(&Scalar::Bool(true), &s("x")));
        assert!(loose_eq(&Scalar::Bool(false), &s("0")));
        assert!(loose_eq(&Scalar::Int(2), &Scalar::Float(2.0)));
    }

    #[test]
    fn numeric_strings() {
        for yes in ["1", " 1", "1 ", "-1.5", ".5", "5.", "1e3", "+2E-1"] {
            assert!(numeric(yes).is_some(), "{yes}");
        }
        for no in ["", "e3", "1e", "0x1A", "1_000", "inf", "NaN", "1.2.3", "."] {
            assert!(numeric(no).is_none(), "{no}");
        }
    }

    #[test]
    fn types_and_casts() {
        assert_eq!(gettype(&Value::Float(2.0)), Some("double"));
        assert_eq!(gettype(&Value::Dynamic("X".into())), None);
        assert_eq!(Scalar::Float(2.0).cast_to_string(), "2");
        assert_eq!(Scalar::Bool(true).cast_to_string(), "1");
        assert_eq!(Scalar::Float(0.5).shown(), "0.5");
    }
}
