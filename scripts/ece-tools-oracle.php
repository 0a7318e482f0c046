<?php
/**
 * Runs ece-tools' own check of .magento.env.yaml on magelint's parity cases: the verdicts of
 * fixtures/ece-tools/parity/schema-* were compared with it (the oracle is not needed to run the
 * tests, which read the recorded verdicts).
 *
 *     php scripts/ece-tools-oracle.php PATH/TO/ece-tools CASE_DIR...
 *
 * For each case directory it loads ece-tools' classes from the checkout (no Composer: a small
 * autoloader, Debian's php-symfony-yaml for Symfony YAML), installs ece-tools' error handler
 * (PHP warnings become exceptions, as in a build) and runs what the build runs on the file:
 * its logger's first read of the file (a ParseException is BUILD_CONFIG_PARSE_FAILED there),
 * the stage configuration merges of the global, build and post-deploy stages and the
 * validate-config step's StageConfig validator, with the checkout's config/schema.yaml, or the
 * case's vendor/magento/ece-tools/config/schema.yaml when it has one. It prints one line per
 * case: `<dir> pass`, `<dir> fail <code>: <messages>` or `<dir> crash: <exception>`.
 *
 * The checkout's schema is ece-tools 2002.1.17's: cases of the reconstructed 2002.2 generation
 * cannot be run here (their releases are not public).
 */
declare(strict_types=1);

namespace Psr\Container {
    // ece-tools' container interface extends PSR-11's, which Debian does not ship without
    // Composer; the validator factory needs only this shape.
    if (!interface_exists(ContainerInterface::class)) {
        interface ContainerInterface
        {
            public function get(string $id);

            public function has(string $id): bool;
        }
    }
}

namespace Monolog {
    // ece-tools' validator interface names Monolog's log levels (RFC 5424 severities as Monolog
    // numbers them) through its logger class; nothing is logged here.
    if (!class_exists(Logger::class)) {
        class Logger
        {
            public const NOTICE = 250;
            public const WARNING = 300;
            public const CRITICAL = 500;
        }
    }
}

namespace MagelintOracle {

    use Magento\MagentoCloud\App\ContainerInterface;

    // ece-tools' classes from the checkout (the first argument), before the class below
    // implements one of its interfaces.
    $eceTools = rtrim($argv[1] ?? '', '/');
    spl_autoload_register(static function (string $class) use ($eceTools): void {
        $prefix = 'Magento\\MagentoCloud\\';
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $path = $eceTools . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($path)) {
                require $path;
            }
        }
    });
    require_once '/usr/share/php/Symfony/Component/Yaml/autoload.php';

    /** Builds the schema's value validators (Range, SplitDb) the way ece-tools' container does. */
    final class Container implements ContainerInterface
    {
        /** @var array<string, object> */
        private $services = [];

        public function create(string $abstract, array $params = [])
        {
            if ($params === [] && isset($this->services[$abstract])) {
                return $this->services[$abstract];
            }
            if ($params === []) {
                // Autowired as ece-tools' container does: each constructor argument by its class.
                $constructor = (new \ReflectionClass($abstract))->getConstructor();
                foreach ($constructor ? $constructor->getParameters() : [] as $parameter) {
                    $params[] = $this->get((string) $parameter->getType());
                }
            }
            return new $abstract(...$params);
        }

        public function set(string $id, $service): void
        {
            $this->services[$id] = $service;
        }

        public function get($id)
        {
            return $this->services[$id] ?? $this->create($id);
        }

        public function has(string $id): bool
        {
            return isset($this->services[$id]) || class_exists($id);
        }
    }

    /** @return array{0: string, 1: string} verdict and detail */
    function check(string $eceTools, string $case): array
    {
        $vendor = $case . '/vendor/magento/ece-tools';
        $root = is_file($vendor . '/config/schema.yaml') ? $vendor : $eceTools;
        $systemList = new \Magento\MagentoCloud\Filesystem\SystemList($root, $case);
        $file = new \Magento\MagentoCloud\Filesystem\Driver\File();
        $reader = new \Magento\MagentoCloud\Config\Environment\Reader(
            new \Magento\MagentoCloud\Filesystem\ConfigFileList($systemList),
            $file
        );
        $schema = new \Magento\MagentoCloud\Config\Schema($systemList, new \Symfony\Component\Yaml\Parser(), $file);
        // The error catalogue is read only for errors raised by code, which this check is not.
        $errorInfo = (new \ReflectionClass(\Magento\MagentoCloud\App\ErrorInfo::class))->newInstanceWithoutConstructor();
        $results = new \Magento\MagentoCloud\Config\Validator\ResultFactory($errorInfo);
        $container = new Container();
        $container->set(\Magento\MagentoCloud\Config\Validator\ResultFactory::class, $results);
        $validator = new \Magento\MagentoCloud\Config\Validator\Build\StageConfig(
            $reader,
            $results,
            new \Magento\MagentoCloud\Config\Schema\Validator(
                $schema,
                $results,
                new \Magento\MagentoCloud\Config\Schema\Validator\ValidatorFactory($container)
            )
        );
        try {
            // The first reader of the file in every command is ece-tools' logger
            // (App\Logger\Pool), which reports a file Symfony YAML refuses as
            // BUILD_CONFIG_PARSE_FAILED.
            $reader->read();
        } catch (\Symfony\Component\Yaml\Exception\ParseException $e) {
            return ['fail ' . \Magento\MagentoCloud\App\Error::BUILD_CONFIG_PARSE_FAILED, $e->getMessage()];
        }
        try {
            // What a build reads before and while validating: each stage's merged settings.
            (new \Magento\MagentoCloud\Config\GlobalSection($reader, $schema))->get('SCD_ON_DEMAND');
            (new \Magento\MagentoCloud\Config\Stage\Build($reader, $schema))->get('VERBOSE_COMMANDS');
            (new \Magento\MagentoCloud\Config\Stage\PostDeploy($reader, $schema))->get('VERBOSE_COMMANDS');
            $result = $validator->validate();
        } catch (\Throwable $e) {
            return ['crash', get_class($e) . ': ' . $e->getMessage()];
        }
        if ($result instanceof \Magento\MagentoCloud\Config\Validator\Result\Error) {
            return ['fail ' . $result->getErrorCode(), str_replace(PHP_EOL, ' | ', $result->getSuggestion())];
        }
        return ['pass', ''];
    }

    function main(array $argv): int
    {
        if (count($argv) < 3) {
            fwrite(STDERR, "usage: php scripts/ece-tools-oracle.php PATH/TO/ece-tools CASE_DIR...\n");
            return 2;
        }
        $eceTools = rtrim($argv[1], '/');
        error_reporting(E_ALL);
        set_error_handler([new \Magento\MagentoCloud\App\ErrorHandler(), 'handle']);
        foreach (array_slice($argv, 2) as $case) {
            [$verdict, $detail] = check($eceTools, rtrim($case, '/'));
            echo $case, ' ', $verdict, $detail === '' ? '' : ': ' . $detail, PHP_EOL;
        }
        return 0;
    }

    exit(main($argv));
}
