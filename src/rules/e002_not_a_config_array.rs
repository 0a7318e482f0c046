use super::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a PHP deployment config file (config.php, env.php or a variant) that does not
    /// `return` an array.
    ///
    /// ## Why it matters
    /// Magento's `DeploymentConfig\Reader` throws "Invalid configuration file" when an included
    /// config file returns anything but an array, so the store cannot boot.
    ///
    /// ## Example
    /// ```php
    /// <?php
    /// $config = ['MAGE_MODE' => 'production'];
    /// ```
    /// (no `return`: PHP's `include` yields `1`).
    ///
    /// ## Fix
    /// End the file with `return [ ... ];` (or `return $config;`).
    ///
    /// ## Source
    /// - Magento 2 source, `Reader.php` (includes config.php then env.php, merges them, env.php wins; a file that returns no array is "Invalid configuration file"): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/DeploymentConfig/Reader.php>
    pub struct NotAConfigArray;
    code: "E002", name: "not-a-config-array", severity: Error
}

/// Emitted by the parse step.
impl Rule for NotAConfigArray {}
