use super::Rule;
use crate::diagnostic::{mask_secret, Diagnostic};
use crate::model::{paths, Fleet, Origin, Setting};
use crate::syntax::Value;
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Reports a Services Connector setting or `MAGE_MODE` whose value is only known at run time
    /// (`getenv()`, `$_ENV[…]`, a constant, a concatenation with such a part), so the rules that
    /// read it skipped it. Off by default; select `MG008` to see what was not checked.
    ///
    /// ## Why it matters
    /// magelint never guesses a dynamic value: the MS rules (data space, key environment, API
    /// keys) and the tier inference skip it. A clean run therefore says nothing about these
    /// values; this rule lists them so you know what to check in the environment instead.
    ///
    /// ## Example
    /// ```php
    /// 'environment_id' => getenv('SAAS_DATA_SPACE_ID'),
    /// 'MAGE_MODE' => getenv('MAGE_MODE') ?: 'production',
    /// ```
    ///
    /// ## Fix
    /// Nothing to fix. To have the site checked, declare its tier in `.magelint.yaml` and its
    /// data spaces under `data-spaces`, or write the value literally where it is not a secret.
    ///
    /// ## Source
    /// - Magento 2 source, `Reader.php` (includes config.php then env.php, merges them, env.php wins; a file that returns no array is "Invalid configuration file"): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/DeploymentConfig/Reader.php> — the files are PHP, so `getenv()`, `$_ENV` and expressions are evaluated only at run time
    /// - Adobe Commerce Admin configuration reference, "Commerce Services Connector" (every field Global): <https://experienceleague.adobe.com/docs/commerce-admin/config/services/saas.html>
    /// - magelint reads literal values only and never guesses a dynamic one.
    pub struct DynamicValue;
    code: "MG008", name: "dynamic-value", severity: Info, default_enabled: false
}

/// The Services paths the MS rules read, under `system/default/`, and whether they hold secrets.
fn services_paths() -> Vec<(String, bool)> {
    let mut list: Vec<(String, bool)> = [
        paths::ENVIRONMENT_ID,
        paths::ENVIRONMENT_TYPE,
        paths::PROJECT_ID,
        paths::KEY_ENVIRONMENT,
    ]
    .iter()
    .map(|p| (p.to_string(), false))
    .collect();
    for environment in ["production", "sandbox"] {
        for kind in ["api_key", "private_key"] {
            list.push((paths::key(environment, kind), true));
        }
    }
    list
}

impl Rule for DynamicValue {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = HashSet::new();
        let services = services_paths();
        for site in fleet
            .sites
            .iter()
            .filter(|s| fleet.in_focus(s.installation))
        {
            let mut found: Vec<(Setting<'_>, String, bool, &str)> = Vec::new();
            for (path, secret) in &services {
                if let Some(setting) = fleet.system_setting(site, &format!("default/{path}")) {
                    found.push((
                        setting,
                        format!("/system/default/{path}"),
                        *secret,
                        "MS rules",
                    ));
                }
            }
            if let Some(setting) = fleet.deployment_setting(site, "MAGE_MODE") {
                found.push((
                    setting,
                    "/MAGE_MODE".into(),
                    false,
                    "tier inference and MG004",
                ));
            }
            for (setting, pointer, secret, readers) in found {
                let Value::Dynamic(source) = &setting.node.value else {
                    continue;
                };
                let location = setting.location();
                if !seen.insert((location.file, location.span)) {
                    continue;
                }
                let name = pointer.rsplit('/').next().unwrap_or("");
                let shown = if secret {
                    mask_fallbacks(&mask_literals(source))
                } else {
                    source.clone()
                };
                // A variable's pointer is its own (`/services/php/environment/CONFIG__…`).
                let pointer = match setting.origin {
                    Origin::ConfigVariable | Origin::SiteVariable => setting
                        .key_location
                        .as_ref()
                        .and_then(|l| l.pointer.as_deref())
                        .map_or(pointer.clone(), str::to_string),
                    Origin::EnvFile | Origin::ConfigPhp => pointer.clone(),
                };
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        location.with_pointer(pointer),
                        format!("{readers} skipped `{name}`: it is only known at run time ({})", shorten(&shown)),
                    )
                    .help("check this value in the environment; declare tiers and data spaces in .magelint.yaml to keep the site checked"),
                );
            }
        }
    }
}

/// Masks the fallback words of shell-style interpolations (`${KEY:-<literal key>}`), which a
/// compose file or Docker env file may hold unquoted.
fn mask_fallbacks(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some((before, after)) = rest.split_once("${") {
        out.push_str(before);
        out.push_str("${");
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        out.push_str(&after[..name_len]);
        let tail = &after[name_len..];
        let operator = [":-", ":+", ":?", "-", "+", "?"]
            .into_iter()
            .find(|op| tail.starts_with(op));
        let Some(operator) = operator else {
            rest = tail;
            continue;
        };
        out.push_str(operator);
        let word = &tail[operator.len()..];
        let end = word.find('}').unwrap_or(word.len());
        out.push_str(&mask_secret(&word[..end]));
        rest = &word[end..];
    }
    out.push_str(rest);
    out
}

/// Masks every quoted literal that is not an environment variable name, so a key concatenated
/// into an expression is never printed.
fn mask_literals(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find(['\'', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('\'');
        out.push_str(&rest[..=start]);
        let body = &rest[start + 1..];
        let Some(end) = body.find(quote) else {
            out.push_str(&mask_secret(body));
            return out;
        };
        let literal = &body[..end];
        if !is_variable_name(literal) {
            out.push_str(&mask_secret(literal));
        } else {
            out.push_str(literal);
        }
        out.push(quote);
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `SAAS_PRODUCTION_PRIVATE_KEY`: an environment variable name, never a key.
fn is_variable_name(literal: &str) -> bool {
    let upper = literal
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let starts = literal
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_');
    upper && starts && (literal.contains('_') || literal.len() <= 24)
}

/// One line, at most 60 characters.
fn shorten(source: &str) -> String {
    let line = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 60 {
        return line;
    }
    let head: String = line.chars().take(59).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_long_enough_to_be_keys_are_masked() {
        assert_eq!(
            mask_literals("getenv('SAAS_API_KEY')"),
            "getenv('SAAS_API_KEY')"
        );
        assert_eq!(
            mask_literals("$_ENV['SAAS_PRODUCTION_PRIVATE_KEY']"),
            "$_ENV['SAAS_PRODUCTION_PRIVATE_KEY']"
        );
        assert_eq!(
            mask_literals("'A1B2C3D4E5F6A1B2C3D4E5F6A1B2C3D4'"),
            "'A1B2…'"
        );
        assert_eq!(
            mask_literals("'-----BEGIN PRIVATE KEY-----abc' . getenv(\"K\")"),
            "'----…' . getenv(\"K\")"
        );
        // Upper-case hex is no variable name: a name starts with a letter or `_`.
        assert_eq!(mask_literals("'9F86D081884C7D659A2F'"), "'9F86…'");
        assert_eq!(mask_literals("'unterminated secret"), "'unte…");
        assert_eq!(shorten(&"x".repeat(80)).chars().count(), 60);
    }

    #[test]
    fn fallback_words_are_masked_and_the_rest_kept() {
        let shown =
            mask_fallbacks("key=${SAAS_PRIVATE_KEY:-c2FuZGJveC1wcml2YXRlLWtleS0wMDE} ${MODE}");
        assert!(
            !shown.contains("c2FuZGJveC1wcml2YXRlLWtleS0wMDE"),
            "{shown}"
        );
        assert!(shown.starts_with("key=${SAAS_PRIVATE_KEY:-"), "{shown}");
        assert!(shown.ends_with("} ${MODE}"), "{shown}");
    }
}
