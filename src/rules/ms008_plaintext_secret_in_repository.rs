use super::{FileContext, Rule};
use crate::diagnostic::{mask_secret, Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::key_material::{is_encrypted, is_key_field, is_placeholder, key_field_kind};
use crate::model::paths;
use crate::model::variables_in;
use crate::syntax::interpolation::{interpolate, Interpolated};
use crate::syntax::php::fallback_literals;
use crate::syntax::{push_pointer, Key, Node, Span, Value};

declare_rule! {
    /// ## What it does
    /// Flags a Services Connector API key or private key written in clear text in a file that is
    /// committed or committable: config.php, an env file or template, or a `CONFIG__…_API_KEY` /
    /// `CONFIG__…_PRIVATE_KEY` variable (of .magento.app.yaml, a docker-compose file, a Docker
    /// env file or nginx `fastcgi_param`). A literal fallback beside an environment lookup
    /// (`getenv('KEY') ?: '…'`, `$_ENV['KEY'] ?? '…'`, compose's `${SAAS_API_KEY:-<the key>}`) is
    /// committed too, and is the value wherever the variable is unset. Encrypted values (MS009's
    /// business) and placeholders a deploy step replaces (`__SAAS_PRODUCTION_API_KEY__`,
    /// `%%KEY%%`, `${KEY}`, `<your-api-key>`, `CHANGE_ME`) are not secrets.
    ///
    /// ## Why it matters
    /// The key pair lets anyone send data to, and read from, the merchant's SaaS data spaces.
    /// Magento happily uses a plaintext key (decryption failures fall back to the raw value), so
    /// nothing breaks — the key simply sits in git history for everyone with read access, and
    /// `app:config:dump` writes these paths into the shared config.php because they are not
    /// declared sensitive.
    ///
    /// ## Example
    /// ```php
    /// 'services_connector_integration' => [
    ///     'production_api_key' => '5d41402abc4b2a76b9719d911017c592',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Remove the key from the file and inject it per environment (`getenv()` in env.php, a
    /// sensitive Cloud variable `CONFIG__DEFAULT__SERVICES_CONNECTOR__…`, or in a compose file
    /// `${SAAS_API_KEY}` without a fallback, set from the shell or a git-ignored env file), or save
    /// it in the Admin where it is stored encrypted. Then rotate the key in the API Portal: it is
    /// in git history.
    ///
    /// ## Source
    /// - `magento/services-connector` (Composer package from repo.magento.com) `Model/Config/Backend/KeyEncrypted.php` (a plaintext key is accepted), `etc/di.xml` (no sensitive paths declared); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/services-connector>
    /// - Adobe Commerce Configuration guide, "Export configuration settings" (config.php goes into source control, env.php does not): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/export-configuration>
    /// - Docker documentation, "Interpolation" (`${VAR:-default}` uses the default when VAR is unset): <https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/>
    pub struct PlaintextSecretInRepository;
    code: "MS008", name: "plaintext-secret-in-repository", severity: Error,
    about_repository: true
}

impl Rule for PlaintextSecretInRepository {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let kind = &file.source.kind;
        match kind {
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template => {
                let Some(system) = file.document.root.get("system") else {
                    return;
                };
                for (scope_pointer, scope) in scopes(system) {
                    let Some(integration) = scope.path(paths::INTEGRATION) else {
                        continue;
                    };
                    for entry in integration.value.entries() {
                        let Key::Str(name) = &entry.key else { continue };
                        if !is_key_field(name) {
                            continue;
                        }
                        let mut pointer = format!("{scope_pointer}/{}", paths::INTEGRATION);
                        push_pointer(&mut pointer, &entry.key);
                        let location =
                            Location::new(file.id, entry.value.span).with_pointer(pointer);
                        out.extend(check(&entry.value, location, name, kind));
                    }
                }
            }
            // The files that set environment variables (other kinds set none).
            kind => {
                for (variable, value) in variables_in(file.id, kind, &file.document.root) {
                    let pointer = variable.location.pointer.clone().unwrap_or_default();
                    let location = Location::new(file.id, value.span).with_pointer(pointer);
                    if !is_key_field(&variable.path) {
                        continue;
                    }
                    out.extend(check(value, location, &variable.name, kind));
                }
            }
        }
    }
}

/// `system/default`, then each `system/websites/<code>` and `system/stores/<code>`, with pointers.
fn scopes(system: &Node) -> Vec<(String, &Node)> {
    let mut found: Vec<(String, &Node)> = system
        .get("default")
        .map(|d| ("/system/default".to_string(), d))
        .into_iter()
        .collect();
    for scope in ["websites", "stores"] {
        for code in system.get(scope).map_or(&[][..], |n| n.value.entries()) {
            let mut pointer = format!("/system/{scope}");
            push_pointer(&mut pointer, &code.key);
            found.push((pointer, &code.value));
        }
    }
    found
}

/// The literal fallback of a compose-style interpolation (`${KEY:-<literal>}`, in a compose
/// file or a Docker env file): used whenever the variable is unset, and committed all the same.
fn interpolation_fallback(node: &Node) -> Option<String> {
    let Value::Dynamic(source) = &node.value else {
        return None;
    };
    // The value as written, quotes included: the interpolated text is inside them.
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| source.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(source);
    literal_fallback(unquoted, 0)
}

/// The first literal among the fallbacks of `text`, looking into nested ones
/// (`${KEY:-${LEGACY_KEY:-<literal>}}`, which compose resolves too).
fn literal_fallback(text: &str, depth: usize) -> Option<String> {
    let Ok(Interpolated::Dynamic { fallbacks }) = interpolate(text) else {
        return None;
    };
    fallbacks.into_iter().find_map(|fallback| {
        if fallback.contains('$') {
            // Deeper than compose files nest in practice: not read.
            (depth < 4).then(|| literal_fallback(&fallback, depth + 1))?
        } else {
            Some(fallback).filter(|f| !f.trim().is_empty())
        }
    })
}

/// The findings for one key value: a real key in clear text, or a literal fallback of a
/// dynamic value (`getenv('KEY') ?: '…'`, `${KEY:-…}`) that is one. Never prints the value.
fn check(node: &Node, location: Location, name: &str, kind: &FileKind) -> Vec<Diagnostic> {
    match &node.value {
        Value::String(value) => finding(value, location, name, kind, Written::Value)
            .into_iter()
            .collect(),
        // An environment lookup is exactly the fix, but a literal fallback beside it is
        // written in the file all the same (and is the value wherever the variable is unset).
        Value::Dynamic(_) if kind.sets_environment() => interpolation_fallback(node)
            .and_then(|value| finding(&value, location, name, kind, Written::Interpolation))
            .into_iter()
            .collect(),
        Value::Dynamic(expression) => fallback_literals(expression)
            .into_iter()
            .filter_map(|(span, value)| {
                // Where the literal is written, inside the expression.
                let start = node.span.start as usize + span.start as usize;
                let mut at = location.clone();
                at.span = Span::new(start, start + span.len());
                finding(&value, at, name, kind, Written::Fallback)
            })
            .collect(),
        // Other scalars are not keys.
        _ => Vec::new(),
    }
}

/// How a key is written in the file.
#[derive(Clone, Copy, PartialEq)]
enum Written {
    Value,
    /// The right side of `?:` / `??` or a ternary branch beside an environment lookup.
    Fallback,
    /// An interpolation's fallback (`${KEY:-…}`).
    Interpolation,
}

/// The finding for one key text, unless it is empty, encrypted (MS009's business) or a
/// placeholder a deploy step replaces.
fn finding(
    value: &str,
    location: Location,
    name: &str,
    kind: &FileKind,
    written: Written,
) -> Option<Diagnostic> {
    if value.trim().is_empty() || is_encrypted(value) || is_placeholder(value) {
        return None;
    }
    let what = key_field_kind(name);
    let masked = mask_secret(value.trim());
    let file_kind = kind.describe();
    let message = match written {
        Written::Value => {
            format!("{name} holds a Services {what} in clear text (`{masked}`) in a committed {file_kind}")
        }
        Written::Interpolation => format!(
            "{name} holds a Services {what} in clear text (`{masked}`) as the fallback of its interpolation in a committed {file_kind}"
        ),
        Written::Fallback => format!(
            "{name} falls back to a Services {what} written in clear text (`{masked}`) in a committed {file_kind}"
        ),
    };
    let how = match kind {
        FileKind::DockerCompose { .. } | FileKind::DotEnv { .. } => format!(
            "take the {what} from the environment compose runs in (`${{VARIABLE}}` without a fallback, set in the shell or a git-ignored env file) or save it in the Admin, then rotate it: it is in git history"
        ),
        FileKind::Nginx { .. } => format!(
            "set the {what} in a file the repository does not hold (an included, git-ignored file) or save it in the Admin, then rotate it: it is in git history"
        ),
        _ => format!(
            "inject the {what} per environment (getenv() in env.php, or a sensitive Cloud variable) or save it in the Admin, then rotate it: it is in git history"
        ),
    };
    let help = match written {
        Written::Fallback => format!(
            "drop the literal fallback (an unset variable should fail loudly, not fall back to a committed key); {how}"
        ),
        _ => how,
    };
    Some(Diagnostic::new(PlaintextSecretInRepository::RULE, location, message).help(help))
}

#[cfg(test)]
mod tests {
    use super::literal_fallback;

    fn nested(levels: usize, literal: &str) -> String {
        let mut text = literal.to_string();
        for level in 0..levels {
            text = format!("${{KEY_{level}:-{text}}}");
        }
        text
    }

    /// A literal under five nested interpolations is read, under six it is not: a value nested
    /// without end (written by a generator or an attacker) must not recurse without end.
    #[test]
    fn nested_fallbacks_are_read_to_a_bound() {
        let key = "c2FuZGJveC1wcml2YXRlLWtleS0wMDE";
        for levels in 1..=5 {
            assert_eq!(
                literal_fallback(&nested(levels, key), 0).as_deref(),
                Some(key),
                "{levels}"
            );
        }
        assert_eq!(literal_fallback(&nested(6, key), 0), None);
        assert_eq!(literal_fallback(&nested(5_000, key), 0), None);
    }
}
