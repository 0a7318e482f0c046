//! The installed ece-tools' own schema (`vendor/magento/ece-tools/config/schema.yaml`), read
//! with magelint's YAML reader (Symfony YAML's reading, as ece-tools parses it) and kept per
//! path and file stamp, so the editor does not parse it again on every keystroke.

use super::EnvSchema;
use crate::syntax::{self, Limits};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

type Loaded = Result<Arc<EnvSchema>, String>;
type Stamp = (Option<SystemTime>, u64);

/// A schema file larger than this is refused: ece-tools' is about 30 KB.
const MAX_SIZE: u64 = 4 * 1024 * 1024;

/// The schema at `path`: `None` when there is no such file, an error when it cannot be used.
pub fn load(path: &Path) -> Option<Loaded> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let stamp: Stamp = (meta.modified().ok(), meta.len());
    static CACHE: Mutex<Option<HashMap<PathBuf, (Stamp, Loaded)>>> = Mutex::new(None);
    if let Ok(cache) = CACHE.lock() {
        if let Some((cached, loaded)) = cache.as_ref().and_then(|c| c.get(path)) {
            if *cached == stamp {
                return Some(loaded.clone());
            }
        }
    }
    let loaded = read(path, stamp.1);
    if let Ok(mut cache) = CACHE.lock() {
        cache
            .get_or_insert_with(HashMap::new)
            .insert(path.to_path_buf(), (stamp, loaded.clone()));
    }
    Some(loaded)
}

fn read(path: &Path, size: u64) -> Loaded {
    if size > MAX_SIZE {
        return Err(format!("it is {size} bytes, more than a schema holds"));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    parse(&text).map(Arc::new)
}

/// A schema from the text of a `config/schema.yaml`.
pub fn parse(text: &str) -> Result<EnvSchema, String> {
    let document = syntax::yaml::parse(text, &Limits::default()).map_err(|e| {
        let line = text[..(e.span.start as usize).min(text.len())]
            .matches('\n')
            .count()
            + 1;
        format!("line {line}: {}", e.message)
    })?;
    let json = syntax::dump::to_json(&document.root);
    EnvSchema::from_json(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ece_tools_shape_and_reports_broken_files() {
        let schema = parse(
            "version: 1\nvariables:\n  SCD_THREADS:\n    type: integer\n    stages: [global, build]\n  X:\n    type: string\n    allowed: ['a', !php/const Foo::BAR]\n",
        )
        .expect("parses");
        assert_eq!(schema.generation, "installed");
        let threads = schema.variable("SCD_THREADS").expect("known");
        assert_eq!(threads.stages, ["global", "build"]);
        // A constant magelint cannot resolve: the allowed values are not checked.
        let x = schema.variable("X").expect("known");
        assert_eq!(x.allowed, super::super::Allowed::Unknown);
        let broken = parse("variables:\n  A: [\n").expect_err("broken");
        assert!(broken.starts_with("line "), "{broken}");
        assert!(parse("- a\n").is_err());
    }

    #[test]
    fn missing_file_is_none_and_files_are_cached_by_stamp() {
        assert!(load(Path::new("/nonexistent/magelint/schema.yaml")).is_none());
        let dir = std::env::temp_dir().join(format!("magelint-vendor-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("schema.yaml");
        std::fs::write(&path, "variables:\n  A:\n    type: string\n").expect("write");
        let first = load(&path).expect("exists").expect("parses");
        assert!(first.variable("A").is_some());
        std::fs::write(&path, "variables: [\n").expect("write");
        assert!(
            load(&path).expect("exists").is_err(),
            "a changed file is read again"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
