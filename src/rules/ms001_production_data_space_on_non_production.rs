use super::Rule;
use crate::config::{DataSpaceKind, TierKind};
use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a non-production site (staging, UAT, dev, local) connected to a Production SaaS
    /// data space through `services_connector/services_id/environment_id`. A site is
    /// non-production only on plain evidence (its `.magelint.yaml` declaration, env file or
    /// directory name, `MAGE_MODE` developer/default, or a non-production base URL host: see
    /// ML003); a site whose tier is unknown is never taken for non-production.
    ///
    /// ## Why it matters
    /// Adobe reserves the production data space for production sites "to avoid data
    /// collisions": a staging site that exports its catalog there overwrites production data
    /// ("production product data could be mistakenly overwritten from staging data, such as
    /// staging URLs"), and cleaning it up needs Adobe Support.
    ///
    /// ## Example
    /// `app/etc/env.staging.php`, copied from production:
    /// ```php
    /// 'services_id' => [
    ///     'environment_id' => '8eb8e3be-728d-4dea-8875-000000000001', // the production data space
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Point the site at one of the project's Testing data spaces, or remove the Services
    /// settings from the non-production env file (Product Recommendations can still show
    /// production recommendations on staging through the alternate data space setting).
    ///
    /// ## Source
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (warning: use the production data space only on the production installation, "to avoid data collisions")
    /// - Adobe Product Recommendations guide, "Test in Staging Environment": <https://experienceleague.adobe.com/en/docs/commerce/product-recommendations/getting-started/staging-environment>
    pub struct ProductionDataSpaceOnNonProduction;
    code: "MS001", name: "production-data-space-on-non-production", severity: Error
}

impl Rule for ProductionDataSpaceOnNonProduction {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let (TierKind::NonProduction, Some(space)) = (site.tier.value, &site.data_space) else {
            return;
        };
        let Some(kind) = fleet.data_space_kind(&space.id) else {
            return;
        };
        if kind.kind != DataSpaceKind::Production {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            space.location.clone(),
            format!(
                "non-production site {} is connected to Production data space {}",
                site.name, space.id
            ),
        )
        .help("use a Testing data space of the SaaS project here, or remove the Services settings from this environment");
        if let Some(location) = &site.tier.location {
            diagnostic = diagnostic.related(
                location.clone(),
                format!("the site is non-production: {}", site.tier.reason),
            );
        }
        if kind.location != space.location {
            diagnostic = diagnostic.related(
                kind.location.clone(),
                format!("the data space is Production: {}", kind.reason(fleet)),
            );
        } else {
            diagnostic
                .message
                .push_str(&format!(" ({})", kind.reason(fleet)));
        }
        out.push(diagnostic);
    }
}
