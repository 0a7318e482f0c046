use super::Rule;
use crate::config::TierKind;
use crate::diagnostic::Diagnostic;
use crate::model::{paths, Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a production site with Product Recommendations' alternate data space enabled
    /// (`services_connector/product_recommendations/alternate_environment_enabled = 1`).
    ///
    /// ## Why it matters
    /// The alternate data space exists so a staging site can show production's
    /// recommendations: Adobe's settings page offers it "only in a non-production environment".
    /// On production it makes the storefront show recommendations trained on another data
    /// space (often a testing one), while production's own behavioral data is recorded under
    /// its own id. The setting typically arrives in a staging env file or a database copied
    /// back to production.
    ///
    /// ## Example
    /// ```php
    /// 'product_recommendations' => [
    ///     'alternate_environment_enabled' => 1,
    ///     'alternate_environment_id' => '8eb8e3be-728d-4dea-8875-000000000002',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Remove the `alternate_environment_*` settings from the production configuration (or set
    /// `alternate_environment_enabled` to `0`).
    ///
    /// ## Source
    /// - Adobe Product Recommendations guide, "Settings" (the Recommendations source section appears only in a non-production environment): <https://experienceleague.adobe.com/en/docs/commerce/product-recommendations/getting-started/settings>
    /// - Adobe Product Recommendations guide, "Test in Staging Environment": <https://experienceleague.adobe.com/en/docs/commerce/product-recommendations/getting-started/staging-environment>
    pub struct AlternateDataSpaceOnProduction;
    code: "MS015", name: "alternate-data-space-on-production", severity: Warning
}

impl Rule for AlternateDataSpaceOnProduction {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        if site.tier.value != TierKind::Production {
            return;
        }
        let path = format!("default/{}", paths::ALTERNATE_ENABLED);
        let Some(enabled) = fleet.system_setting(site, &path) else {
            return;
        };
        // `1`, `'1'` and `true` all read as enabled; dynamic values are never judged.
        if enabled.text().as_deref().map(str::trim) != Some("1") {
            return;
        }
        let alternate = fleet
            .system_setting(
                site,
                "default/services_connector/product_recommendations/alternate_environment_id",
            )
            .and_then(|s| s.text())
            .map_or(String::new(), |id| format!(" ({id})"));
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            enabled.system_location(&path),
            format!(
                "production site {} shows Product Recommendations from an alternate data space{alternate}",
                site.name
            ),
        )
        .help("remove the alternate_environment_* settings from the production configuration; they are meant for staging");
        if let Some(location) = &site.tier.location {
            diagnostic = diagnostic.related(
                location.clone(),
                format!("the site is production: {}", site.tier.reason),
            );
        }
        out.push(diagnostic);
    }
}
