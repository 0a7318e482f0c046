//! Locations of merged settings with their JSON Pointer, for diagnostics.

use super::{Origin, Setting};
use crate::diagnostic::Location;

/// Where a merged `system` setting's value is written, with the JSON Pointer of the file it is
/// in: `/system/<system_path>` in a PHP/JSON/YAML config file, the variable's own pointer for a
/// CONFIG__ variable (`/variables/env/<NAME>` in .magento.app.yaml).
pub fn setting_location(setting: &Setting<'_>, system_path: &str) -> Location {
    let pointer = match setting.origin {
        Origin::ConfigVariable | Origin::SiteVariable => setting
            .key_location
            .as_ref()
            .and_then(|l| l.pointer.clone()),
        Origin::EnvFile | Origin::ConfigPhp => Some(format!("/system/{system_path}").into()),
    };
    let location = setting.location();
    match pointer {
        Some(pointer) => location.with_pointer(pointer),
        None => location,
    }
}
