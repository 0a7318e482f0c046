//! Where ece-tools deploys static content, decided as its `ScdOnBuild` and `ScdOnDeploy`
//! checks decide it from the repository: `SCD_ON_DEMAND` (global), `SKIP_SCD` (build, deploy)
//! in `.magento.env.yaml`, and whether `app/etc/config.php` lists its stores and websites
//! (without them the build cannot know the locales and themes to deploy).

use super::Project;
use crate::diagnostic::{FileId, Location};
use crate::facts::is_truthy;
use crate::syntax::{Node, Span, Value};

/// A reason a state holds, and where it is written.
#[derive(Clone, Debug)]
pub struct Reason {
    /// As ece-tools words the condition: `SKIP_SCD variable is enabled`.
    pub text: String,
    pub location: Location,
}

/// Whether static content deployment runs in a phase.
#[derive(Clone, Debug)]
pub enum Verdict {
    Runs,
    /// It does not, for these reasons (in ece-tools' order; its message names the first).
    Skipped(Vec<Reason>),
    /// The files at hand cannot tell (config.php is not among them).
    Unknown,
}

/// A variable of `.magento.env.yaml` as written in one stage.
#[derive(Clone, Debug)]
pub struct StageValue<'a> {
    pub node: &'a Node,
    /// Where its key is written.
    pub location: Location,
}

impl<'a> Project<'a> {
    /// `name` as written under `stage/<stage>` (`isset`: null is not set).
    pub fn stage_set(&self, stage: &str, name: &str) -> Option<StageValue<'a>> {
        let (id, root) = self.env_yaml?;
        let entry = root.get("stage")?.get(stage)?.entry(name)?;
        if matches!(entry.value.value, Value::Null) {
            return None;
        }
        let span = entry.key_span.get().unwrap_or(entry.value.span);
        Some(StageValue {
            node: &entry.value,
            location: Location::new(id, span).with_pointer(format!("/stage/{stage}/{name}")),
        })
    }

    /// `name` as `stage` reads it: its own value, else the global one (schema defaults
    /// aside: every variable read here defaults to off).
    pub fn stage_value(&self, stage: &str, name: &str) -> Option<StageValue<'a>> {
        let own = (stage != "global")
            .then(|| self.stage_set(stage, name))
            .flatten();
        own.or_else(|| self.stage_set("global", name))
    }

    /// Whether `name` is on for `stage`. The deploy stage reads a text as JSON first (`"false"`
    /// is false there), the others as PHP does.
    fn enabled(&self, stage: &str, name: &str) -> Option<StageValue<'a>> {
        self.stage_value(stage, name)
            .filter(|value| truthy_in(stage, &value.node.value))
    }

    /// Whether static content is deployed in the build phase (ece-tools' `ScdOnBuild`).
    pub fn scd_on_build(&self) -> Verdict {
        let mut reasons = Vec::new();
        if let Some(value) = self.enabled("global", "SCD_ON_DEMAND") {
            reasons.push(reason("SCD_ON_DEMAND variable is enabled", value));
        }
        if let Some(value) = self.enabled("build", "SKIP_SCD") {
            reasons.push(reason("SKIP_SCD variable is enabled", value));
        }
        match self.config_php {
            Some((id, root)) if !lists_scopes(root) => reasons.push(Reason {
                text: "config.php lists no stores or websites".to_string(),
                location: structure_location(id, root),
            }),
            Some(_) => {}
            None if reasons.is_empty() => return Verdict::Unknown,
            None => {}
        }
        if reasons.is_empty() {
            Verdict::Runs
        } else {
            Verdict::Skipped(reasons)
        }
    }

    /// Whether static content is deployed in the deploy phase (ece-tools' `ScdOnDeploy`).
    pub fn scd_on_deploy(&self) -> Verdict {
        let mut reasons = Vec::new();
        if let Some(value) = self.enabled("global", "SCD_ON_DEMAND") {
            reasons.push(reason("SCD_ON_DEMAND variable is enabled", value));
        }
        if let Some(value) = self.enabled("deploy", "SKIP_SCD") {
            reasons.push(reason("SKIP_SCD variable is enabled", value));
        }
        match self.scd_on_build() {
            Verdict::Runs => {
                let location = self
                    .config_php
                    .map(|(id, root)| structure_location(id, root))
                    .unwrap_or_else(|| Location::new(0, Span::empty_at(0)));
                reasons.push(Reason {
                    text: "SCD on build is enabled".to_string(),
                    location,
                });
            }
            Verdict::Unknown if reasons.is_empty() => return Verdict::Unknown,
            _ => {}
        }
        if reasons.is_empty() {
            Verdict::Runs
        } else {
            Verdict::Skipped(reasons)
        }
    }
}

/// Whether config.php (`root`) lists stores or websites with any value, as ece-tools'
/// structure check counts them (flattened keys under `scopes/websites…` or `scopes/stores…`
/// with a non-empty value).
pub fn lists_scopes(root: &Node) -> bool {
    let Some(scopes) = root.get("scopes") else {
        return false;
    };
    scopes.value.entries().iter().any(|section| {
        let name = section.key.as_str().unwrap_or("");
        (name.starts_with("websites") || name.starts_with("stores"))
            && match &section.value.value {
                Value::Array { entries, .. } => {
                    entries.iter().any(|scope| is_truthy(&scope.value.value))
                }
                value => is_truthy(value),
            }
    })
}

fn reason(text: &str, value: StageValue<'_>) -> Reason {
    Reason {
        text: text.to_string(),
        location: value.location,
    }
}

/// Where config.php's scopes are (or would be): its `scopes` key, else the file's start.
fn structure_location(id: FileId, root: &Node) -> Location {
    match root.entry("scopes") {
        Some(entry) => Location::new(id, entry.key_span.get().unwrap_or(entry.value.span))
            .with_pointer("/scopes"),
        None => Location::new(id, Span::empty_at(root.span.start as usize)),
    }
}

/// A value's truth as ece-tools' `stage` config reads it: at deploy a text is decoded as JSON
/// first.
pub fn truthy_in(stage: &str, value: &Value) -> bool {
    match value {
        Value::String(text) if stage == "deploy" => match text.trim() {
            "false" | "null" | "0" | "" | "[]" | "{}" | "\"\"" => false,
            "true" => true,
            other => other.parse::<f64>() != Ok(0.0),
        },
        other => is_truthy(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploy_reads_text_as_json() {
        let text = |t: &str| Value::String(t.into());
        assert!(!truthy_in("deploy", &text("false")));
        assert!(truthy_in("build", &text("false")));
        assert!(truthy_in("deploy", &text("true")));
        assert!(!truthy_in("deploy", &text("0.0")));
        assert!(truthy_in("deploy", &text("yes")));
        assert!(!truthy_in("build", &Value::Bool(false)));
        assert!(truthy_in("global", &Value::Int(1)));
    }
}
