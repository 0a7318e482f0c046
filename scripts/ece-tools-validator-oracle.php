<?php
/*
 * Cross-checks parity cases against ece-tools itself: loads ece-tools' own validator classes
 * from a checkout and runs them on a case's .magento.env.yaml and composer.lock, with the
 * container stubbed out (the merged deploy configuration is `global` then `deploy` over the
 * schema's defaults, as MergedConfig has it, without Cloud variables; the Magento version is
 * composer.lock's magento/magento2-base; the database relationship has a default connection).
 * Prints the codes the validators return. Covers 109, 110, 111, 112, 135, 136, 2002, 2029 and
 * the SPLIT_DB value check (10); a YAML error ends in Symfony's ParseException (error 4).
 *
 *     php scripts/ece-tools-validator-oracle.php PATH/TO/ece-tools fixtures/ece-tools/parity/CASE
 *
 * Needs PHP 8 and Symfony YAML in /usr/share/php (Debian's php-symfony-yaml); ece-tools'
 * vendor/ is not needed.
 */
declare(strict_types=1);
[$self, $ece, $case] = $argv;
spl_autoload_register(function ($class) use ($ece) {
    foreach (['Magento\\MagentoCloud\\' => "$ece/src/", 'Symfony\\Component\\Yaml\\' => '/usr/share/php/Symfony/Component/Yaml/'] as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) { require $file; }
        }
    }
});
// Libraries the validators' files name but these paths never call.
foreach (['Monolog\Logger', 'Composer\Semver\Semver', 'Composer\Semver\Comparator', 'Composer\Composer'] as $missing) {
    if (!class_exists($missing)) {
        $at = strrpos($missing, '\\');
        eval('namespace ' . substr($missing, 0, $at) . '; class ' . substr($missing, $at + 1) . ' { const DEBUG = 100; const INFO = 200; const NOTICE = 250; const WARNING = 300; const ERROR = 400; const CRITICAL = 500; const ALERT = 550; const EMERGENCY = 600; public function __construct(...$a) {} }');
    }
}
use Magento\MagentoCloud\Config\Stage\DeployInterface;
use Magento\MagentoCloud\Config\Validator;
use Symfony\Component\Yaml\Yaml;

$env = is_file("$case/.magento.env.yaml") ? (array)Yaml::parse(file_get_contents("$case/.magento.env.yaml"), Yaml::PARSE_CONSTANT) : [];
$schema = Yaml::parse(file_get_contents("$ece/config/schema.yaml"))['variables'];
$lock = json_decode(file_get_contents("$case/composer.lock"), true);
$magento = '';
foreach ($lock['packages'] as $p) { if ($p['name'] === 'magento/magento2-base') { $magento = $p['version']; } }

class StubDeploy implements DeployInterface {
    public function __construct(private array $env, private array $schema) {}
    public function get(string $name) {
        $defaults = [];
        foreach ($this->schema as $k => $v) { if (isset($v['default']['deploy']) || array_key_exists('deploy', $v['default'] ?? [])) { $defaults[$k] = $v['default']['deploy']; } }
        $stage = $this->env['stage'] ?? [];
        $merged = array_replace($defaults, $stage['global'] ?? [], $stage['deploy'] ?? []);
        $value = $merged[$name];
        if (!is_string($value)) { return $value; }
        $decoded = json_decode($value, true);
        $value = $decoded !== null && json_last_error() === JSON_ERROR_NONE ? $decoded : $value;
        if (($this->schema[$name]['type'] ?? null) === 'array' && !is_array($value)) { $value = $this->schema[$name]['default']['deploy']; }
        return $value;
    }
}
class StubResults extends Validator\ResultFactory {
    public function __construct() {}
    public function errorByCode(int $code): Validator\Result\Error { return new Validator\Result\Error('', '', $code); }
}
class StubVersion extends \Magento\MagentoCloud\Package\MagentoVersion {
    public function __construct(private string $v) {}
    public function getVersion(): string { return $this->v; }
    public function isGreaterOrEqual(string $version): bool { return version_compare($this->v, $version, '>='); }
    public function satisfies(string $c): bool {
        if ($c === '>= 2.4.2 < 2.5.0') { return version_compare($this->v, '2.4.2', '>=') && version_compare($this->v, '2.5.0', '<'); }
        throw new \RuntimeException("constraint $c not stubbed");
    }
}
class StubDbConfig extends \Magento\MagentoCloud\Config\Database\DbConfig {
    public function __construct() {}
    public function get(): array { return ['connection' => ['default' => ['host' => 'database.internal']]]; }
}
$deploy = new StubDeploy($env, $schema);
$results = new StubResults();
$merger = new \Magento\MagentoCloud\Config\ConfigMerger();
$version = new StubVersion($magento);
$splitDb = new Validator\Deploy\SplitDb($deploy);
$validators = [
    new Validator\Deploy\DatabaseConfiguration($results, $deploy),
    new Validator\Deploy\SessionConfiguration($results, $deploy, $merger),
    new Validator\Deploy\SearchConfiguration($results, $deploy, $merger, $version),
    new Validator\Deploy\ResourceConfiguration($results, new \Magento\MagentoCloud\Config\Database\ResourceConfig(new StubDbConfig(), $deploy, $merger)),
    new Validator\Deploy\DatabaseSplitConnection($results, $deploy),
    new Validator\Deploy\RemovedSplitDb($results, $version, $splitDb),
    new Validator\Deploy\DeprecatedSplitDb($results, $version, $splitDb),
];
$codes = [];
foreach ($validators as $validator) {
    $result = $validator->validate();
    if ($result instanceof Validator\Result\Error) { $codes[] = $result->getErrorCode(); }
}
// The schema's SplitDb value validator, on each stage where SPLIT_DB is written.
$schemaSplit = new \Magento\MagentoCloud\Config\Schema\Validator\SplitDb($results);
foreach (['global', 'deploy'] as $stage) {
    if (isset($env['stage'][$stage]['SPLIT_DB']) && is_array($env['stage'][$stage]['SPLIT_DB'])
        && $schemaSplit->validate('SPLIT_DB', $env['stage'][$stage]['SPLIT_DB']) instanceof Validator\Result\Error) {
        $codes[] = 10;
    }
}
echo implode(' ', $codes), "\n";
