use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, isset, written_in, Merge};

declare_rule! {
    /// ## What it does
    /// Flags a `SESSION_CONFIGURATION` in the `deploy` stage of `.magento.env.yaml` that
    /// replaces the session configuration without saying where sessions are
    /// saved (`save`).
    ///
    /// ## Why it matters
    /// Unless it merges (`_merge: true` beside other options), the variable replaces the session
    /// section ece-tools writes into `app/etc/env.php`, so it must name a `save` handler
    /// (`redis`, `db`, `files`...). ece-tools checks this while validating the configuration and
    /// stops the deploy with error 110 (`DEPLOY_WRONG_CONFIGURATION_SESSION`). A variable that
    /// holds only `_merge: true` merges nothing and is refused too.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SESSION_CONFIGURATION:
    ///       redis:
    ///         max_concurrency: 10
    /// ```
    ///
    /// ## Fix
    /// Add `_merge: true` to change only some options of the generated configuration, or write
    /// `save:` with the handler.
    ///
    /// ## Source
    /// - ece-tools, `SessionConfiguration.php`: <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Deploy/SessionConfiguration.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SESSION_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct SessionConfigurationWithoutSave;
    code: "EC002", name: "session-configuration-without-save", severity: Error,
    ece_tools: [110]
}

impl Rule for SessionConfigurationWithoutSave {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let Some(written) = written_in(&file.document.root, "deploy", "SESSION_CONFIGURATION")
        else {
            return;
        };
        let Some(config) = Merge::of(written.value()) else {
            return;
        };
        if is_empty(written.value()) != Some(false)
            || config.is_merge_required()
            || isset(written.value(), "save").is_some()
        {
            return;
        }
        // Set and not empty, so either `_merge` alone or no `_merge` at all.
        let why = match config.is_empty() {
            true => "holds nothing but `_merge`, so there is nothing to merge and no `save`",
            false => "replaces the generated session configuration (no `_merge`) but has no `save`",
        };
        out.push(
            Diagnostic::new(
                Self::RULE,
                written.location(file.id),
                format!("SESSION_CONFIGURATION {why}: {} stops the deploy", cite(110)),
            )
            .help("add `_merge: true` to change only some options, or write `save:` with the session handler (redis, db, files)"),
        );
    }
}
