//! `magelint dump`: a node as JSON in PHP's `json_encode` shape.

use super::{Key, Node, Value};
use serde_json::{Map, Number, Value as Json};

/// Lists when the keys are exactly 0..n-1, objects otherwise, key order kept; a dynamic value
/// becomes `{"$dynamic": "<source text>"}`.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        // json_encode fails on INF/NAN; null is the closest honest value.
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::Dynamic(text) => {
            let mut map = Map::new();
            map.insert("$dynamic".into(), Json::String(text.clone()));
            Json::Object(map)
        }
        value @ Value::Array { entries, .. } => {
            if value.is_list() {
                Json::Array(entries.iter().map(|e| to_json(&e.value)).collect())
            } else {
                let mut map = Map::with_capacity(entries.len());
                for entry in entries {
                    let key = match &entry.key {
                        Key::Int(i) => i.to_string(),
                        Key::Str(s) => s.to_string(),
                    };
                    map.insert(key, to_json(&entry.value));
                }
                Json::Object(map)
            }
        }
    }
}
