<?php
// Reads each file named on stdin (one path a line) with Symfony YAML the way ece-tools reads
// .magento.env.yaml (Yaml::parse($content, Yaml::PARSE_CONSTANT)) and prints one JSON line per
// file: {"ok": VALUE} or {"refused": MESSAGE}. VALUE keeps what json_encode would lose:
// arrays are {"a": [[key, value], ...]} (keys as PHP made them, int or string), floats are
// {"f": "%.17g"} (so 3.0 and 3 differ, INF and NAN survive).
require '/usr/share/php/Symfony/Component/Yaml/autoload.php';

use Symfony\Component\Yaml\Yaml;

error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

function plain($value)
{
    if (is_array($value)) {
        $entries = [];
        foreach ($value as $k => $v) {
            $entries[] = [$k, plain($v)];
        }
        return ['a' => $entries];
    }
    if (is_float($value)) {
        return ['f' => is_nan($value) ? 'NAN' : (is_infinite($value) ? ($value > 0 ? 'INF' : '-INF') : sprintf('%.17g', $value))];
    }
    if (is_object($value)) {
        return ['object' => get_class($value)];
    }
    return $value;
}

while (($path = fgets(STDIN)) !== false) {
    $path = rtrim($path, "\n");
    if ($path === '') {
        continue;
    }
    $text = file_get_contents($path);
    try {
        $out = ['ok' => plain(Yaml::parse($text, Yaml::PARSE_CONSTANT))];
    } catch (\Throwable $e) {
        $out = ['refused' => get_class($e) . ': ' . $e->getMessage()];
    }
    $line = json_encode($out, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES);
    echo ($line === false ? json_encode(['refused' => 'unencodable']) : $line), "\n";
}
