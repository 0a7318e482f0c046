use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::{scope_entries, ScopeKind};
use crate::syntax::Value;

declare_rule! {
    /// ## What it does
    /// Flags a config.php `scopes/websites` section (with websites besides `admin`) in which no
    /// website, or more than one, has `is_default` `'1'`.
    ///
    /// ## Why it matters
    /// Magento serves the default website when a request names none; `app:config:import`
    /// writes `scopes` into the database as is, so a hand-edited section with no default
    /// leaves the storefront without a default website, and several defaults make the choice
    /// depend on load order. `app:config:dump` always writes exactly one.
    ///
    /// ## Example
    /// ```php
    /// 'base' => ['website_id' => '1', 'code' => 'base', /* … */ 'is_default' => '1'],
    /// 'eu_fr' => ['website_id' => '2', 'code' => 'eu_fr', /* … */ 'is_default' => '1'],
    /// ```
    ///
    /// ## Fix
    /// Set `is_default` to `'1'` on exactly one website (Stores > All Stores > website > "Set as
    /// Default"), then run `bin/magento app:config:dump scopes` again.
    ///
    /// ## Source
    /// - Adobe Commerce Configuration guide, "config.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-configphp>
    /// - Adobe Commerce Configuration guide, "Import configuration settings" (`app:config:import`): <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cli/configuration-management/import-configuration>
    /// - Magento 2 source, `db_schema.xml` (codes are unique `varchar(32)`; `store_website.is_default`): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/etc/db_schema.xml>
    pub struct DefaultWebsiteCount;
    code: "MG007", name: "default-website-count", severity: Error
}

impl Rule for DefaultWebsiteCount {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::ConfigPhp {
            return;
        }
        let Some(section) = file.document.root.path_entry("scopes/websites") else {
            return;
        };
        let websites = scope_entries(file.id, file.document, ScopeKind::Website);
        let storefront = |code: &str| code != "admin";
        if !websites.iter().any(|w| storefront(&w.code)) {
            return;
        }
        let mut defaults = Vec::new();
        for website in &websites {
            let Some(flag) = website.node.entry("is_default") else {
                continue;
            };
            // An is_default only known at run time could be either: do not count.
            if matches!(flag.value.value, Value::Dynamic(_)) {
                return;
            }
            if flag.value.value.scalar_text().as_deref() == Some("1") {
                let pointer = format!(
                    "{}/is_default",
                    website.key_location.pointer.as_deref().unwrap_or("")
                );
                defaults.push((
                    &website.code,
                    Location::new(file.id, flag.value.span).with_pointer(pointer),
                ));
            }
        }
        match defaults.as_slice() {
            [] => {
                let location = Location::new(
                    file.id,
                    section.key_span.get().unwrap_or(section.value.span),
                )
                .with_pointer("/scopes/websites");
                out.push(
                    Diagnostic::new(Self::RULE, location, "no website in scopes/websites has `is_default` `'1'`")
                        .help("set `'is_default' => '1'` on the website that serves requests naming no website"),
                );
            }
            [_] => {}
            [(first_code, first), rest @ ..] => {
                let codes: Vec<String> = defaults.iter().map(|(c, _)| format!("`{c}`")).collect();
                for (code, location) in rest {
                    let diagnostic = Diagnostic::new(
                        Self::RULE,
                        location.clone(),
                        format!(
                            "website `{code}` is also marked default; {} websites are ({})",
                            defaults.len(),
                            codes.join(", ")
                        ),
                    )
                    .related(
                        first.clone(),
                        format!("website `{first_code}` is the first default"),
                    )
                    .help("keep `'is_default' => '1'` on one website and set the others to `'0'`");
                    out.push(diagnostic);
                }
            }
        }
    }
}
