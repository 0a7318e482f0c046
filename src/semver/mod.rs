//! Composer versions and version constraints, compared the way composer/semver does (ece-tools
//! decides with `Semver::satisfies`): `2.4.7-p3` is `2.4.7.0-patch3`, above `2.4.7` and below
//! `2.4.8`; `<2.4.6` and `>=2.4.6` compare with `2.4.6.0-dev`, so 2.4.6's pre-releases are
//! below it; `~7.4.0` is `>=7.4.0.0-dev <7.5.0.0-dev`, `^2` is `>=2.0.0.0-dev <3.0.0.0-dev`,
//! `1.2.*` is `>=1.2.0.0-dev <1.3.0.0-dev`; `|`/`||` separate alternatives, a space or a comma
//! joins bounds.

//!
//! A leaf module (it imports nothing of the crate): the model's Magento version and the cloud
//! validators' service and PHP ranges all compare with this one `Version`.

mod constraint;
mod version;

pub use constraint::Constraint;
pub use version::Version;

#[cfg(test)]
mod tests;
