<?php
/**
 * Regenerate tests/data/composer-semver-cases.json: which versions satisfy which constraints,
 * as composer/semver itself (the library ece-tools decides with) says.
 *
 *     php scripts/composer-semver-cases.php PATH/TO/composer-semver/src > tests/data/composer-semver-cases.json
 *
 * The constraints are every one of data/ece-tools/services.json (Magento ranges, service
 * ranges, end-of-life `<version>.x`) and the PHP requirements of Magento releases; the
 * versions are Magento releases with patches and pre-releases, service and PHP versions.
 * magelint's src/cloud/constraint.rs must give the same answer for every pair.
 */

if ($argc < 2) {
    fwrite(STDERR, "usage: php scripts/composer-semver-cases.php PATH/TO/composer-semver/src\n");
    exit(2);
}
spl_autoload_register(function ($class) use ($argv) {
    $prefix = 'Composer\\Semver\\';
    if (strpos($class, $prefix) === 0) {
        require $argv[1] . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    }
});

$data = json_decode(file_get_contents(__DIR__ . '/../data/ece-tools/services.json'), true);
$constraints = [
    '~7.4.0||~8.1.0', '~8.1.0||~8.2.0||~8.3.0', '~7.3.0|~7.4.0', '~8.2.0||~8.3.0||~8.4.0',
    '>=7.1.3', '^7.4 || ^8.0', '^8.1@dev', '7.1 - 7.3', '7.1.0 - 7.3.5', '>= 7.4 < 9', '>=7.4, <9',
    '!=8.0.0', '~5.0', '^0.3', '8.1.x', '*', '>= 2.4.0', '>=2.4.3-p2', '~2.3.7-p4',
];
foreach ($data['releases'] as $release) {
    foreach ($release['supported'] as $ranges) {
        foreach ($ranges as [$magento, $services]) {
            $constraints[] = $magento;
            $constraints[] = $services;
        }
    }
    foreach ($release['eol'] as $entries) {
        foreach ($entries as $entry) {
            $constraints[] = $entry['version'] . '.x';
        }
    }
}
$constraints = array_values(array_unique($constraints));

$versions = [];
foreach (['2.1', '2.2', '2.3', '2.4'] as $minor) {
    foreach (range(0, 10) as $patch) {
        $base = "$minor.$patch";
        $versions[] = $base;
        foreach ([1, 2, 3, 4, 9, 10] as $p) {
            $versions[] = "$base-p$p";
        }
        $versions[] = "$base-beta1";
        $versions[] = "$base-alpha2";
        $versions[] = "$base-RC1";
    }
}
foreach (['1', '1.1', '1.2', '1.2.2', '1.7', '2', '2.3.0', '2.4.2', '2.19', '3', '3.5', '3.7', '3.8', '3.9',
          '3.9.0', '3.11', '3.13', '4.0', '5.0', '5.2', '6.0', '6.2', '6.2.6', '6.5', '6.5.13', '6.8',
          '7.0', '7.0.2', '7.1', '7.2', '7.4', '7.5', '7.7', '7.9', '7.10', '7.11', '7.17', '8.0', '8.0.2',
          '8.1', '8.1.27', '8.2', '8.3', '8.4', '8.5', '9.0.0', '10.0', '10.2', '10.3', '10.3.35', '10.4',
          '10.4.22', '10.5', '10.6', '10.6.1', '10.11', '11.0', '11.4', '0.3.5', '0.4.0', '1.9', '1.21',
          '0.9', '1.8', '4.0.9', '4.5', '6.4', '7.1.1', '7.3.5', '7.3.6'] as $version) {
    $versions[] = $version;
}
$versions = array_values(array_unique($versions));

$out = ['source' => 'composer/semver ' . (getenv('SEMVER_VERSION') ?: 'src'), 'versions' => $versions, 'constraints' => []];
foreach ($constraints as $constraint) {
    $satisfied = [];
    foreach ($versions as $index => $version) {
        if (\Composer\Semver\Semver::satisfies($version, $constraint)) {
            $satisfied[] = $index;
        }
    }
    $out['constraints'][$constraint] = $satisfied;
}
echo json_encode($out, JSON_UNESCAPED_SLASHES) . "\n";
