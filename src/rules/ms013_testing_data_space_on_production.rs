use super::Rule;
use crate::config::{DataSpaceKind, TierKind};
use crate::diagnostic::Diagnostic;
use crate::model::{Fleet, Site};

declare_rule! {
    /// ## What it does
    /// Flags a production site connected to a Testing SaaS data space.
    ///
    /// ## Why it matters
    /// Live Search, Product Recommendations and Catalog Service serve the storefront from the
    /// data space the site feeds. A production store on a Testing data space mixes its catalog
    /// and behavioral data with staging's, and the real production data space stays empty. It
    /// usually means an env file or `CONFIG__` variable copied from staging.
    ///
    /// ## Example
    /// `app/etc/env.php` of production:
    /// ```php
    /// 'services_id' => [
    ///     'environment_id' => '8eb8e3be-728d-4dea-8875-000000000002',
    ///     'environment' => 'Testing',
    /// ],
    /// ```
    ///
    /// ## Fix
    /// Connect the production site to the project's Production data space (and let
    /// `app:config:import` write its type), or correct the site's tier in `.magelint.yaml` if it
    /// is not production.
    ///
    /// ## Source
    /// - Adobe Commerce Services guide, "Commerce Services Connector": <https://experienceleague.adobe.com/en/docs/commerce/user-guides/integration-services/saas> (the production data space for the production installation, testing data spaces for the others)
    /// - `magento/module-services-id` 3.2 `Model/ServicesConfig.php` (`services_id/environment`, the data space type); public copy: <https://github.com/mr-farhan/magento/tree/HEAD/vendor/magento/module-services-id>
    pub struct TestingDataSpaceOnProduction;
    code: "MS013", name: "testing-data-space-on-production", severity: Warning
}

impl Rule for TestingDataSpaceOnProduction {
    fn check_site(&self, site: &Site, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        let (TierKind::Production, Some(space)) = (site.tier.value, &site.data_space) else {
            return;
        };
        let Some(kind) = fleet.data_space_kind(&space.id) else {
            return;
        };
        if kind.kind != DataSpaceKind::Testing {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Self::RULE,
            space.location.clone(),
            format!(
                "production site {} is connected to Testing data space {}",
                site.name, space.id
            ),
        )
        .help("connect the production site to the Production data space of the SaaS project");
        if let Some(location) = &site.tier.location {
            diagnostic = diagnostic.related(
                location.clone(),
                format!("the site is production: {}", site.tier.reason),
            );
        }
        if kind.location != space.location {
            diagnostic = diagnostic.related(
                kind.location.clone(),
                format!("the data space is Testing: {}", kind.reason(fleet)),
            );
        } else {
            diagnostic
                .message
                .push_str(&format!(" ({})", kind.reason(fleet)));
        }
        out.push(diagnostic);
    }
}
