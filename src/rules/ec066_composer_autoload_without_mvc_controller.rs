use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::{Diagnostic, Location};
use crate::ece_tools::cite;
use crate::model::{Fleet, Installation};
use crate::syntax::Span;

/// The MVC packages Magento 2.3 to 2.4.2 run their setup with, and the namespace each needs
/// in composer.json's `autoload.psr-4` (ece-tools asks in this order).
const MVC_CONTROLLERS: [(&str, &str); 2] = [
    ("laminas/laminas-mvc", "Laminas\\Mvc\\Controller\\"),
    ("zendframework/zend-mvc", "Zend\\Mvc\\Controller\\"),
];

/// Where Magento keeps the controller classes those namespaces map to.
const CONTROLLER_PATH: &str = "setup/src/Zend/Mvc/Controller/";

declare_rule! {
    /// ## What it does
    /// Flags the composer.json of an Adobe Commerce Cloud project on Magento 2.3.0 up to
    /// 2.4.2 whose `autoload.psr-4` maps neither `Laminas\Mvc\Controller\` nor
    /// `Zend\Mvc\Controller\` while composer.lock locks `laminas/laminas-mvc` or
    /// `zendframework/zend-mvc`: ece-tools stops the build (ece-tools 9
    /// BUILD_COMPOSER_MISSED_REQUIRED_AUTOLOAD).
    ///
    /// ## Why it matters
    /// Magento's setup application on these versions overrides MVC controller classes under
    /// `setup/src/Zend/Mvc/Controller/`; Composer finds them only through that autoload
    /// entry. ece-tools checks it before anything else in the build, as a critical error.
    /// The Magento version is composer.lock's `magento/magento2-base`, or
    /// `DEPLOYED_MAGENTO_VERSION_FROM_GIT` when `.magento.env.yaml` sets it.
    ///
    /// ## Example
    /// composer.lock locks magento/magento2-base 2.4.1 and laminas/laminas-mvc; composer.json has
    /// ```json
    /// "autoload": { "psr-4": { "Magento\\Setup\\": "setup/src/Magento/Setup/" } }
    /// ```
    ///
    /// ## Fix
    /// Add `"Laminas\\Mvc\\Controller\\": "setup/src/Zend/Mvc/Controller/"` (or the `Zend`
    /// namespace for zendframework/zend-mvc) to `autoload.psr-4`, run `composer update`
    /// locally and commit composer.json and composer.lock.
    ///
    /// ## Source
    /// - ece-tools, `Build/ComposerFile.php` (Magento 2.3 up to 2.4.3, the packages and namespaces: 9): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Validator/Build/ComposerFile.php>
    /// - ece-tools, `schema.error.yaml` (9, build, validate-config, critical): <https://github.com/magento/ece-tools/blob/2002.1.17/config/schema.error.yaml>
    /// - Adobe Commerce on Cloud, "ece-tools error reference" (error 9): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/dev-tools/ece-tools/error-reference>
    pub struct ComposerAutoloadWithoutMvcController;
    code: "EC066", name: "composer-autoload-without-mvc-controller", severity: Error, ece_tools: [9]
}

impl Rule for ComposerAutoloadWithoutMvcController {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, check, out);
    }
}

fn check(
    fleet: &Fleet<'_>,
    installation: &Installation,
    project: &Project<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((composer_file, composer)) = installation
        .composer
        .and_then(|id| Some((id, &fleet.files.get(id)?.facts.as_ref()?.root)))
    else {
        return;
    };
    let Some(magento) = project.magento() else {
        return;
    };
    if !magento.version.at_least("2.3") || magento.version.at_least("2.4.3") {
        return;
    }
    let psr4 = composer.get("autoload").and_then(|a| a.get("psr-4"));
    let mapped = |namespace: &str| psr4.is_some_and(|p| p.entry(namespace).is_some());
    if MVC_CONTROLLERS
        .iter()
        .any(|(_, namespace)| mapped(namespace))
    {
        return;
    }
    // Installed on the Cloud (`composer install --no-dev`): a development package is not.
    let Some((package, namespace, locked)) = MVC_CONTROLLERS.iter().find_map(|(name, ns)| {
        let locked = project.locked(name).filter(|p| !p.dev)?;
        Some((*name, *ns, locked))
    }) else {
        return;
    };
    let at = match composer.entry("autoload") {
        Some(entry) => entry.key_span.get().unwrap_or(entry.value.span),
        None => Span::empty_at(composer.span.start as usize),
    };
    let entry = format!(
        "\"{}\": \"{CONTROLLER_PATH}\"",
        namespace.replace('\\', "\\\\")
    );
    out.push(
        Diagnostic::new(
            ComposerAutoloadWithoutMvcController::RULE,
            Location::new(composer_file, at).with_pointer("/autoload/psr-4"),
            format!(
                "composer.json's autoload.psr-4 lacks {entry}, which Magento {} needs with {package}: the build stops ({})",
                magento.version.text,
                cite(9)
            ),
        )
        .related(locked.location, format!("composer.lock locks {package} {}", locked.version))
        .related(magento.location, format!("Magento {} ({})", magento.version.text, magento.from))
        .help(format!("add {entry} to autoload.psr-4, run `composer update` locally and commit composer.json and composer.lock")),
    );
}
