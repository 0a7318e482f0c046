//! PHP's conversions of statically known values: truthiness, string context, casts and
//! `$array[key]` reads.

use super::literal;
use crate::syntax::Value;

/// PHP truthiness of a known value.
pub fn truthy(v: &Value) -> Option<bool> {
    Some(match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => !(s.is_empty() || s == "0"),
        Value::Array { entries, .. } => !entries.is_empty(),
        Value::Dynamic(_) => return None,
    })
}

/// A scalar in string context.
pub fn scalar_string(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null | Value::Bool(false) => String::new(),
        Value::Bool(true) => "1".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => literal::float_to_string(*f),
        Value::String(s) => s.to_string(),
        _ => return None,
    })
}

pub fn cast(cast: &str, v: &Value) -> Option<Value> {
    let name: String = cast
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "string" | "binary" => scalar_string(v).map(|s| Value::String(s.into())),
        "bool" | "boolean" => truthy(v).map(Value::Bool),
        "int" | "integer" => match v {
            Value::Int(i) => Some(Value::Int(*i)),
            Value::Bool(b) => Some(Value::Int(i64::from(*b))),
            Value::Null => Some(Value::Int(0)),
            Value::Float(f) if f.is_finite() && f.abs() < 9.2e18 => Some(Value::Int(*f as i64)),
            _ => None,
        },
        "float" | "double" | "real" => match v {
            Value::Int(i) => Some(Value::Float(*i as f64)),
            Value::Float(f) => Some(Value::Float(*f)),
            Value::Bool(b) => Some(Value::Float(f64::from(u8::from(*b)))),
            Value::Null => Some(Value::Float(0.0)),
            _ => None,
        },
        _ => None,
    }
}

/// `$array[key]` on a known array with a known key.
pub fn fetch(base: Value, key: &Value) -> Option<Value> {
    let Value::Array { entries, .. } = base else {
        return None;
    };
    let key = super::array::key_of_value(key)?;
    entries
        .into_iter()
        .find(|e| e.key == key)
        .map(|e| e.value.value)
}
