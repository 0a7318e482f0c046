use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::model::Fleet;

declare_rule! {
    /// ## What it does
    /// Reports a config file magelint could not read: an I/O error (permissions, a vanished file,
    /// a symlink loop), a binary file, text that is not UTF-8, or a file over the size cap. Also
    /// an installed ece-tools schema (`vendor/magento/ece-tools/config/schema.yaml` beside a
    /// `.magento.env.yaml`) that does not parse: reported on the `.magento.env.yaml`, which is
    /// then checked with the bundled schema of its ece-tools release.
    ///
    /// ## Why it matters
    /// A file that cannot be read cannot be checked; saying so beats a silent pass. The other
    /// files are still checked.
    ///
    /// ## Example
    /// `app/etc/env.php: file is not valid UTF-8 (invalid byte at 12:7)`.
    ///
    /// ## Fix
    /// Fix the permissions or encoding (Magento config files are UTF-8 text), remove the binary
    /// file, or raise `--max-file-size` for a legitimately huge file.
    ///
    /// ## Source
    /// magelint's own input handling (UTF-8 text up to `--max-file-size`; every other file is still checked): "What magelint promises on bad input", <https://github.com/magelint/magelint#what-magelint-promises-on-bad-input>.
    pub struct UnreadableFile;
    code: "E003", name: "unreadable-file", severity: Error
}

/// Emitted by the read step; installed ece-tools schemas are read by the fleet stage.
impl Rule for UnreadableFile {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        crate::check::env_yaml::push_vendor_problems(fleet, Self::RULE, out);
    }
}
