use super::{FileContext, Rule};
use crate::diagnostic::{Diagnostic, Location};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags a Cloud YAML file (`.magento.env.yaml`, `.magento.app.yaml`,
    /// `.magento/services.yaml`, `.magento/routes.yaml`) that starts with a UTF-8 byte order
    /// mark.
    ///
    /// ## Why it matters
    /// ece-tools reads `.magento.env.yaml` with Symfony YAML, which does not strip the mark: it
    /// becomes the first character of the first key. `stage:` is read as `"\ufeffstage"`, so
    /// ece-tools silently ignores the whole `stage` section and deploys with its defaults.
    /// Before anything but a first `key:` (a comment, a `-`) Symfony refuses the file, and
    /// magelint reports that as E001. Editors hide the mark, so the file looks right.
    ///
    /// ## Example
    /// ```yaml
    /// stage:            # saved as "UTF-8 with BOM": the key is "\ufeffstage"
    ///   deploy:
    ///     SCD_THREADS: 4
    /// ```
    ///
    /// ## Fix
    /// Save the file as UTF-8 without BOM (in most editors: "UTF-8" rather than
    /// "UTF-8 with BOM"), or delete the first three bytes.
    ///
    /// ## Source
    /// Symfony YAML's parser (`Parser::doParse`, no BOM handling), as ece-tools calls it:
    /// <https://github.com/magento/ece-tools/blob/develop/src/Config/Environment/Reader.php>;
    /// <https://symfony.com/doc/current/components/yaml.html>.
    pub struct ByteOrderMark;
    code: "YM001", name: "byte-order-mark", severity: Error
}

impl Rule for ByteOrderMark {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if !super::ym002_refused_duplicate_key::is_cloud_yaml(file)
            || !file.text.starts_with('\u{feff}')
        {
            return;
        }
        let first_key = file
            .document
            .root
            .value
            .entries()
            .first()
            .and_then(|e| e.key.as_str());
        let (message, pointer) = match first_key {
            Some(key) if key.starts_with('\u{feff}') => {
                let name = key.trim_start_matches('\u{feff}');
                let mut pointer = String::new();
                crate::syntax::push_pointer(&mut pointer, &crate::syntax::Key::Str(key.into()));
                (
                    format!(
                        "the file starts with a byte order mark: Symfony YAML reads the first key as `\\ufeff{name}`, so ece-tools does not see `{name}`"
                    ),
                    pointer,
                )
            }
            _ => (
                "the file starts with a byte order mark, which Symfony YAML reads as text"
                    .to_string(),
                String::new(),
            ),
        };
        out.push(
            Diagnostic::new(
                Self::RULE,
                Location::new(file.id, Span::new(0, 3)).with_pointer(pointer),
                message,
            )
            .help("save the file as UTF-8 without BOM"),
        );
    }
}
