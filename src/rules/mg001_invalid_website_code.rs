use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::{code_problem, scope_entries, ScopeKind};

declare_rule! {
    /// ## What it does
    /// Flags a website code in config.php `scopes/websites` (the key or its `code` field) that
    /// Magento refuses: not `^[a-z][a-z0-9_]*$`, longer than 32 characters, or `admin` used by a
    /// website other than the admin website (id 0).
    ///
    /// ## Why it matters
    /// `app:config:import` creates websites from this section; Magento's website resource model
    /// rejects the code ("Website code may only contain letters (a-z), numbers (0-9) or
    /// underscore (_), and the first character must be a letter") and the deployment fails.
    /// Website codes are lower case only, unlike store view codes. The code also names the
    /// website in `system/websites/<code>`, in `CONFIG__WEBSITES__<CODE>` variables and in the
    /// `Magento-Website-Code` header of every Commerce Services request.
    ///
    /// ## Example
    /// ```php
    /// 'websites' => [
    ///     'EU-France' => [
    ///         'website_id' => '2',
    ///         'code' => 'EU-France',
    /// ```
    ///
    /// ## Fix
    /// Rename the website to a lower-case code such as `eu_france` (Stores > All Stores), then
    /// run `bin/magento app:config:dump scopes` again.
    ///
    /// ## Source
    /// - Magento 2 source, `Website.php` (website code `/^[a-z]+[a-z0-9_]*$/`, lower case only): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/Model/ResourceModel/Website.php>
    /// - Magento 2 source, `db_schema.xml` (codes are unique `varchar(32)`; `store_website.is_default`): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/etc/db_schema.xml>
    /// - Adobe Commerce Configuration guide, "config.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-configphp>
    pub struct InvalidWebsiteCode;
    code: "MG001", name: "invalid-website-code", severity: Error
}

impl Rule for InvalidWebsiteCode {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::ConfigPhp {
            return;
        }
        for entry in scope_entries(file.id, file.document, ScopeKind::Website) {
            let help = "use a lower-case code of letters, digits and `_` that starts with a letter, at most 32 characters";
            if let Some(problem) = code_problem(ScopeKind::Website, &entry.code) {
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        entry.key_location.clone(),
                        format!("website code `{}` {problem}", entry.code),
                    )
                    .help(help),
                );
            }
            let code_field = entry.node.entry("code");
            let field_text = code_field.and_then(|e| e.value.value.as_str());
            if let (Some(field), Some(code)) = (code_field, field_text) {
                if code != entry.code {
                    if let Some(problem) = code_problem(ScopeKind::Website, code) {
                        let location = Location::new(file.id, field.value.span)
                            .with_pointer(format!("{}/code", pointer(&entry.key_location)));
                        out.push(
                            Diagnostic::new(
                                Self::RULE,
                                location,
                                format!("website code `{code}` {problem}"),
                            )
                            .help(help),
                        );
                    }
                }
            }
            let code = field_text.unwrap_or(&entry.code);
            let id = entry
                .node
                .get("website_id")
                .and_then(|n| n.value.scalar_text());
            if let (true, Some(id)) = (code == "admin", id) {
                if id != "0" {
                    // Point at whichever of key and `code` field says `admin`.
                    let location = match code_field {
                        Some(field) if entry.code != "admin" => {
                            Location::new(file.id, field.value.span)
                                .with_pointer(format!("{}/code", pointer(&entry.key_location)))
                        }
                        _ => entry.key_location.clone(),
                    };
                    out.push(
                        Diagnostic::new(
                            Self::RULE,
                            location,
                            format!("website {id} uses the code `admin`, which is reserved for the admin website (id 0)"),
                        )
                        .help("give this website its own code; `admin` is always website 0"),
                    );
                }
            }
        }
    }
}

fn pointer(location: &Location) -> &str {
    location.pointer.as_deref().unwrap_or("")
}
