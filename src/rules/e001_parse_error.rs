use super::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a PHP, YAML or JSON syntax error at the exact position where the file stops making
    /// sense, with one clear message such as "expected `,` or `]`, found `;`". In a template an
    /// engine renders (`env.php.j2`, `.jinja`, `.twig`, `.tpl` holding `{{ }}` or `{% %}`) the
    /// finding is an info: the file is not PHP until rendered.
    ///
    /// ## Why it matters
    /// Magento `include`s app/etc/env.php and config.php on every request: a syntax error takes
    /// the whole store down ("Invalid configuration file"). ece-tools stops a Cloud build on a
    /// YAML error in `.magento.env.yaml` (error 4, `BUILD_CONFIG_PARSE_FAILED`; 104, 204 and 244
    /// are the same failure in the deploy, post-deploy and any other command, which read the
    /// file again). Nothing else in the file can be checked until it parses.
    ///
    /// ## Example
    /// ```php
    /// return [
    ///     'MAGE_MODE' => 'production'
    ///     'cache_types' => [],
    /// ];
    /// ```
    ///
    /// ## Fix
    /// Correct the syntax at the reported position. A template (Jinja `{% if %}`) belongs in a
    /// file named `env.php.j2`, not `env.php`.
    ///
    /// ## Source
    /// - Magento 2 source, `Reader.php` (includes config.php then env.php, merges them, env.php wins; a file that returns no array is "Invalid configuration file"): <https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/App/DeploymentConfig/Reader.php>
    /// - ece-tools, `dist/error-codes.md` (a `.magento.env.yaml` that does not parse fails the Cloud build): <https://github.com/magento/ece-tools/blob/HEAD/dist/error-codes.md>
    pub struct ParseError;
    code: "E001", name: "parse-error", severity: Error,
    ece_tools: [4, 104, 204, 244]
}

/// Emitted by the parse step.
impl Rule for ParseError {}
