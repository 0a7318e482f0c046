<?php
// Evaluates PHP config files the way Magento loads them: `include` each file listed (one
// absolute path per line in argv[1]) and json_encode the returned array. One process for all.
$list = file($argv[1], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
$files = 0;
$bytes = 0;
foreach ($list as $path) {
    $value = include $path;
    $bytes += strlen(json_encode($value));
    $files++;
}
fwrite(STDERR, "php: $files files, $bytes bytes of JSON\n");
