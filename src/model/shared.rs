//! Settings every site of an installation shares (config.php, CONFIG__ variables of
//! .magento.app.yaml; not a site's env file or process environment). A site rule words a
//! finding resting only on them the same for every site ("every site of `shop`"), so the engine
//! reports it once (`check::fleet`).

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
