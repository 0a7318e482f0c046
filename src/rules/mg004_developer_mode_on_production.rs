use super::Rule;
use crate::config::TierKind;
use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a production site whose `MAGE_MODE` is `developer`.
    ///
    /// ## Why it matters
    /// Developer mode shows exceptions and stack traces to visitors, generates static files and
    /// code on demand (slow, and writes into `pub/static` and `generated/` at run time) and turns
    /// off the production caches' guarantees. ece-tools warns about any `MAGE_MODE` other than
    /// `production` on Cloud.
    ///
    /// ## Example
    /// `app/etc/env.production.php`:
    /// ```php
    /// 'MAGE_MODE' => 'developer',
    /// ```
    ///
    /// ## Fix
    /// Run `bin/magento deploy:mode:set production` on the production site (it compiles code and
    /// deploys static content), or set `'MAGE_MODE' => 'production'` in its env file.
    ///
    /// ## Source
    /// - Magento 2 source, `State.php` (`MODE_DEFAULT`, `MODE_DEVELOPER`, `MODE_PRODUCTION`): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/State.php>
    /// - ece-tools, `src/Config/Validator/Deploy/MageModeVariable.php` (warns unless `MAGE_MODE` is production): <https://github.com/magento/ece-tools/blob/HEAD/src/Config/Validator/Deploy/MageModeVariable.php>
    /// - Adobe Commerce Configuration guide, "env.php reference": <https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-envphp>
    pub struct DeveloperModeOnProduction;
    code: "MG004", name: "developer-mode-on-production", severity: Warning
}

impl Rule for DeveloperModeOnProduction {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        if site.tier.value != TierKind::Production {
            return;
        }
        // A dynamic MAGE_MODE has no text and is skipped (MG008 reports it).
        let Some(mode) = fleet.deployment_setting(site, "MAGE_MODE") else {
            return;
        };
        if mode.text().as_deref() != Some("developer") {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            mode.location().with_pointer("/MAGE_MODE"),
            format!("production site {} runs in developer mode", site.name),
        )
        .help("set `'MAGE_MODE' => 'production'` (bin/magento deploy:mode:set production)");
        if let Some(location) = &site.tier.location {
            diagnostic = diagnostic.related(
                location.clone(),
                format!("the site is production: {}", site.tier.reason),
            );
        }
        out.push(diagnostic);
    }
}
