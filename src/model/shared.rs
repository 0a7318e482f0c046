//! Settings every site of an installation shares (config.php, CONFIG__ variables of
//! .magento.app.yaml; not a site's env file or process environment), so a site rule reports a finding resting only on them once, not once per
//! site.

use super::{Fleet, Origin, Setting, Site};
use crate::diagnostic::Location;

impl Origin {
    /// Whether every site of the installation sees a value from here: not the site's env file
    /// or process environment.
    pub fn is_shared(&self) -> bool {
        !matches!(self, Origin::EnvFile | Origin::SiteVariable)
    }
}

impl Setting<'_> {
    /// Whether every site of the installation sees this value (it is not in the site's env file
    /// or process environment).
    pub fn is_shared(&self) -> bool {
        self.origin.is_shared()
    }

    /// The value's location with its JSON Pointer, for a setting read with
    /// `Fleet::system_setting(site, path)` (`path` = `default/…`).
    pub fn system_location(&self, path: &str) -> Location {
        let pointer = match self.origin {
            Origin::ConfigVariable | Origin::SiteVariable => {
                self.key_location.as_ref().and_then(|l| l.pointer.clone())
            }
            Origin::EnvFile | Origin::ConfigPhp => Some(format!("/system/{path}").into()),
        };
        let location = self.location();
        match pointer {
            Some(pointer) => location.with_pointer(pointer),
            None => location,
        }
    }
}

impl Fleet<'_> {
    /// Whether `site` is the first site of its installation.
    pub fn is_first_site(&self, site: &Site) -> bool {
        // An index per installation, not a scan of every site per call (quadratic on fleets).
        let first = self.first_sites.get_or_init(|| {
            let count = self
                .sites
                .iter()
                .map(|s| s.installation + 1)
                .max()
                .unwrap_or(0);
            let mut first = vec![usize::MAX; count];
            for (index, s) in self.sites.iter().enumerate() {
                if first[s.installation] == usize::MAX {
                    first[s.installation] = index;
                }
            }
            first
        });
        first
            .get(site.installation)
            .and_then(|&index| self.sites.get(index))
            .is_some_and(|first| std::ptr::eq(first, site))
    }

    /// Whether a site rule should report a finding that rests on `settings` for `site`: always
    /// when one of them is in the site's own env file, else only for the installation's first
    /// site (the others would repeat the same diagnostic at the same place).
    pub fn reports_for(&self, site: &Site, settings: &[&Setting<'_>]) -> bool {
        self.reports(site, settings.iter().all(|s| s.is_shared()))
    }

    /// Whether a site rule should report for `site` a finding that rests only on shared
    /// settings (`shared`) or on the site's own.
    pub fn reports(&self, site: &Site, shared: bool) -> bool {
        !shared || self.is_first_site(site)
    }

    /// "site `app/etc/env.php`" for a finding in the site's env file, or "every site of `eu`" for
    /// one resting only on shared settings.
    pub fn site_phrase(&self, site: &Site, settings: &[&Setting<'_>]) -> String {
        self.phrase(site, settings.iter().all(|s| s.is_shared()))
    }

    /// "site `app/etc/env.php`", or "every site of `eu`" for a finding resting only on shared
    /// settings (`shared`).
    pub fn phrase(&self, site: &Site, shared: bool) -> String {
        if shared {
            format!("every site of {}", self.installation(site).name)
        } else {
            format!("site {}", site.name)
        }
    }
}
