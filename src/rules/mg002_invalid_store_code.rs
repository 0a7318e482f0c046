use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::FileKind;
use crate::model::{code_problem, scope_entries, ScopeKind};

declare_rule! {
    /// ## What it does
    /// Flags a store view code in config.php `scopes/stores` (the key or its `code` field) that
    /// Magento refuses: not `^[a-zA-Z][a-zA-Z0-9_]*$` or longer than 32 characters.
    ///
    /// ## Why it matters
    /// `app:config:import` creates store views from this section; Magento's store code validator
    /// rejects the code and the deployment fails. The code also names the store view in
    /// `system/stores/<code>`, in store URLs (`web/url/use_store`) and in the
    /// `Magento-Store-View-Code` header of Commerce Services requests.
    ///
    /// ## Example
    /// ```php
    /// 'stores' => [
    ///     'fr-fr' => [
    ///         'store_id' => '2',
    ///         'code' => 'fr-fr',
    /// ```
    ///
    /// ## Fix
    /// Rename the store view to a code of letters, digits and `_` that starts with a letter (for
    /// example `fr_fr`), then run `bin/magento app:config:dump scopes` again.
    ///
    /// ## Source
    /// - Magento 2 source, `StoreCodeValidator.php` (store code `/^[a-z]+[a-z0-9_]*$/i`): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/Model/Validation/StoreCodeValidator.php>
    /// - Magento 2 source, `db_schema.xml` (codes are unique `varchar(32)`; `store_website.is_default`): <https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Store/etc/db_schema.xml>
    /// - Adobe Commerce Configuration guide, "config.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-configphp>
    pub struct InvalidStoreCode;
    code: "MG002", name: "invalid-store-code", severity: Error
}

impl Rule for InvalidStoreCode {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::ConfigPhp {
            return;
        }
        let help = "use letters, digits and `_`, starting with a letter, at most 32 characters";
        for entry in scope_entries(file.id, file.document, ScopeKind::Store) {
            if let Some(problem) = code_problem(ScopeKind::Store, &entry.code) {
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        entry.key_location.clone(),
                        format!("store view code `{}` {problem}", entry.code),
                    )
                    .help(help),
                );
            }
            let Some(field) = entry.node.entry("code") else {
                continue;
            };
            let Some(code) = field.value.value.as_str() else {
                continue;
            };
            if code == entry.code {
                continue;
            }
            if let Some(problem) = code_problem(ScopeKind::Store, code) {
                let pointer = format!(
                    "{}/code",
                    entry.key_location.pointer.as_deref().unwrap_or("")
                );
                let location = Location::new(file.id, field.value.span).with_pointer(pointer);
                out.push(
                    Diagnostic::new(
                        Self::RULE,
                        location,
                        format!("store view code `{code}` {problem}"),
                    )
                    .help(help),
                );
            }
        }
    }
}
