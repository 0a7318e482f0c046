use super::Rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{ConfigVariable, ConfigVariableScope, Fleet, Installation};

declare_rule! {
    /// ## What it does
    /// Flags a `CONFIG__…` variable (of `.magento.app.yaml`, a docker-compose file, a Docker env
    /// file or nginx `fastcgi_param`) that Magento can never apply: an
    /// unknown scope word (not `DEFAULT`, `WEBSITES` or `STORES`), a numeric or missing scope
    /// code, a config path of one segment (a bare section), or a scope code that only exists
    /// with upper-case letters.
    ///
    /// ## Why it matters
    /// Magento strips `CONFIG__`, turns every `__` into `/` and lower-cases the whole name, then
    /// looks the result up as `<scope>/<code>/<section>/<group>/<field>`. Scopes are keyed by
    /// code, never by id, and codes start with a letter; a store view code with upper-case
    /// letters can never be matched after lower-casing. Such a variable is silently ignored, so
    /// the setting you think is overridden keeps its old value.
    ///
    /// ## Example
    /// ```yaml
    /// variables:
    ///   env:
    ///     CONFIG__WEBSITES__1__WEB__SECURE__BASE_URL: 'https://shop.example.com/'
    ///     CONFIG__DEFAULT__WEB: 'https://shop.example.com/'   # a section, not a field
    /// ```
    ///
    /// ## Fix
    /// Use the scope word `DEFAULT`, `WEBSITES__<CODE>` or `STORES__<CODE>` with the website or
    /// store view **code**, and the full `section__group__field` path. For a store view whose
    /// code has upper-case letters, rename the store view or set the value in env.php
    /// `system/stores/<code>` instead.
    ///
    /// ## Source
    /// - Magento 2 source, `Environment.php` (strips `CONFIG__`, turns every `__` into `/`, lower-cases the rest): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Config/Model/Placeholder/Environment.php>
    /// - Magento 2 source, `EnvironmentConfigSource.php`: <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Config/App/Config/Source/EnvironmentConfigSource.php>
    /// - Adobe Commerce Configuration guide, "Override configuration settings" (`CONFIG__` variable names): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/paths/override-config-settings>
    /// - Magento 2 source, `StoreCodeValidator.php` (store code `/^[a-z]+[a-z0-9_]*$/i`): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/Model/Validation/StoreCodeValidator.php>
    pub struct UnreachableConfigVariable;
    code: "MG005", name: "unreachable-config-variable", severity: Error
}

impl Rule for UnreachableConfigVariable {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let check = |installation: &Installation, out: &mut Vec<Diagnostic>| {
            for variable in &installation.config_variables {
                if let Some((message, related)) = problem(installation, variable) {
                    let mut diagnostic = Diagnostic::new(
                        Self::RULE,
                        variable.location.clone(),
                        format!("`{}` is never applied: {message}", variable.name),
                    )
                    .help("write it as CONFIG__DEFAULT__<SECTION>__<GROUP>__<FIELD>, CONFIG__WEBSITES__<CODE>__… or CONFIG__STORES__<CODE>__…");
                    if let Some((location, text)) = related {
                        diagnostic = diagnostic.related(location, text);
                    }
                    out.push(diagnostic);
                }
            }
        };
        super::each_in_parallel(&fleet.focused_installations(), |i, out| check(i, out), out);
    }
}

type Problem = (String, Option<(Location, String)>);

/// The first reason Magento cannot apply `variable`, with a location that explains it.
fn problem(installation: &Installation, variable: &ConfigVariable) -> Option<Problem> {
    let (noun, code, defined) = match &variable.scope {
        ConfigVariableScope::Unknown(word) => {
            let word = word.to_uppercase();
            return Some((
                format!("`{word}` is not a scope; Magento knows DEFAULT, WEBSITES and STORES"),
                None,
            ));
        }
        ConfigVariableScope::Default => ("", "", &[][..]),
        ConfigVariableScope::Websites(code) => {
            ("website", code.as_str(), &installation.website_codes[..])
        }
        ConfigVariableScope::Stores(code) => {
            ("store view", code.as_str(), &installation.store_codes[..])
        }
    };
    if !noun.is_empty() {
        if code.is_empty() {
            return Some((format!("it names no {noun} code"), None));
        }
        if code.chars().all(|c| c.is_ascii_digit()) {
            return Some((
                format!("`{code}` is an id; {noun} scopes are addressed by code, which starts with a letter"),
                None,
            ));
        }
        let exact = defined.iter().any(|(c, _)| c == code);
        let upper = defined
            .iter()
            .find(|(c, _)| c != code && lowercases_to(c, code));
        if let (false, Some((original, location))) = (exact, upper) {
            return Some((
                format!(
                    "Magento lower-cases the name to `{code}`, but the {noun} code is `{original}`"
                ),
                Some((
                    location.clone(),
                    format!("the {noun} `{original}` is defined here, with upper-case letters"),
                )),
            ));
        }
    }
    // A single segment names a whole section, which holds groups, never a value. Two segments
    // can be read (`magento_saas/environment`, `paypal/notation_code`), so they are allowed.
    if variable.path_depth() < 2 {
        let what = match variable.path.as_str() {
            "" => "no config path".to_string(),
            path => format!("only the section `{path}`"),
        };
        return Some((
            format!("it names {what}; a config path is at least section/field"),
            None,
        ));
    }
    None
}

/// Whether `defined.to_lowercase() == code`, without a copy for an ASCII code (nearly all).
fn lowercases_to(defined: &str, code: &str) -> bool {
    if !defined.is_ascii() {
        return defined.to_lowercase() == code;
    }
    defined.len() == code.len()
        && defined
            .bytes()
            .zip(code.bytes())
            .all(|(d, c)| d.to_ascii_lowercase() == c)
}

#[cfg(test)]
mod lowercase_tests {
    #[test]
    fn lowercases_to_is_to_lowercase_then_eq() {
        let words = [
            "", "a", "A", "ab", "aB", "AB", "b", "É", "é", "Straße", "STRASSE", "ǅ", "ǆ",
        ];
        for defined in words {
            for code in words {
                let expected = defined.to_lowercase() == code;
                assert_eq!(
                    super::lowercases_to(defined, code),
                    expected,
                    "{defined} {code}"
                );
            }
        }
    }
}
