//! Lists the rules for `src/rules/mod.rs`: each `mod` line there is a rule's one registry line,
//! and this writes `RULES` (in the order of those lines) and the re-exports of the rules' structs.
//! The modules stay plain `mod` items so tools that follow the module tree (cargo-mutants,
//! rust-analyzer) see the rule files.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let rules_dir = Path::new("src/rules");
    let registry_path = rules_dir.join("mod.rs");
    println!("cargo:rerun-if-changed={}", registry_path.display());
    let registry = fs::read_to_string(&registry_path).expect("src/rules/mod.rs is readable");

    let mut uses = String::new();
    let mut entries = String::new();
    for module in registry.lines().filter_map(rule_module) {
        let path = rules_dir.join(format!("{module}.rs"));
        println!("cargo:rerun-if-changed={}", path.display());
        let source =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rule = declared_struct(&source).unwrap_or_else(|| {
            panic!("{}: no `pub struct Name;` in declare_rule!", path.display())
        });
        writeln!(uses, "pub use {module}::{rule};").expect("write to a String");
        writeln!(
            entries,
            "    Registered {{ meta: &<{module}::{rule} as RuleMetadata>::META, rule: &{module}::{rule} }},"
        )
        .expect("write to a String");
    }

    let generated = format!(
        "{uses}\n/// Every rule, in the order of the registry's `mod` lines.\npub static RULES: &[Registered] = &[\n{entries}];\n"
    );
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rules_registry.rs");
    fs::write(out, generated).expect("OUT_DIR is writable");
}

/// `mod ms001_name;` at the start of a line: a rule module (`mod tests` blocks have braces).
fn rule_module(line: &str) -> Option<&str> {
    let name = line.strip_prefix("mod ")?.strip_suffix(';')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

/// The unit struct a rule file declares in its `declare_rule!` block.
fn declared_struct(source: &str) -> Option<&str> {
    source.lines().find_map(|line| {
        let name = line.trim().strip_prefix("pub struct ")?.strip_suffix(';')?;
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            .then_some(name)
    })
}
