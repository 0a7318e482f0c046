#!/usr/bin/env python3
"""Writes the schema parity cases, fixtures/ece-tools/parity/schema-*/ (see tests/ece_parity.rs).

    scripts/ece-parity-schema-cases.py [--oracle PATH/TO/ece-tools]

Every variable of the bundled generations (data/ece-tools/schema/*.json) gets its cases: a value
ece-tools accepts, values of the wrong PHP type (for integers `2.0`, `1e3`, `+3` and `'4'`, which
Symfony YAML reads as floats and a string), one allowed value and one outside the list, the
bounds of its Range validator, and a stage it does not belong to; then unknown variables and
stages, empty values and sections, and the generation picked by composer.lock or by an installed
vendor schema. Each case is a directory with a `.magento.env.yaml` (and a `composer.lock`,
`app/etc/config.php` or `vendor/magento/ece-tools/config/schema.yaml` where the case needs one)
and `verdict.txt`: `pass` or `fail 10`, the ece-tools source it follows, the generation.

The verdicts follow ece-tools' `Config\\Schema\\Validator`, its value validators and their unit
tests; the 2002.2 cases follow the public documentation (the delta's sources). With `--oracle`,
every case of the 2002.1 line is also run through ece-tools' own code
(scripts/ece-tools-oracle.php, release by release from the checkout's tags) and the script
fails on any verdict that differs.
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures/ece-tools/parity"
STAGES = ["global", "build", "deploy", "post-deploy"]

VALIDATOR = "src/Config/Schema/Validator.php"
STAGE_CONFIG = "src/Config/Validator/Build/StageConfig.php"
VALIDATOR_TEST = "src/Test/Unit/Config/Schema/ValidatorTest.php"
SOURCES = {
    "pass": f"{STAGE_CONFIG}; {VALIDATOR}; config/schema.yaml",
    "unknown": f"{VALIDATOR} (not in the schema: not allowed in configuration); {VALIDATOR_TEST} (TEST_UNDEFINED)",
    "type": f"{VALIDATOR} (gettype of the value as Symfony YAML 5.4 reads it); {VALIDATOR_TEST} (TEST_BOOLEAN, TEST_STRING)",
    "stage": f"{VALIDATOR} (stages); {VALIDATOR_TEST} (TEST_BOOLEAN in stage deploy)",
    "allowed": f"{VALIDATOR} (in_array of allowed values); {VALIDATOR_TEST} (TEST_STRING test_undefined)",
    "range": "src/Config/Schema/Validator/Range.php; src/Test/Unit/Config/Schema/Validator/RangeTest.php",
    "split": "src/Config/Schema/Validator/SplitDb.php; src/Test/Unit/Config/Schema/Validator/SplitDbTest.php",
    "ignored": f"{STAGE_CONFIG} (a stage entry that is no map is skipped; unknown stages are read like others)",
    "installed": f"{STAGE_CONFIG}; src/Config/Schema.php (reads config/schema.yaml of the installed package)",
}
DELTA = "data/ece-tools/schema/2002.2-delta.yaml"

# Values ece-tools accepts, per variable (YAML text); otherwise by type below.
VALID = {
    "SCD_COMPRESSION_TIMEOUT": "900",
    "SCD_MAX_EXECUTION_TIME": "3600",
    "SCD_MATRIX": "{'Magento/backend': {language: [en_US]}}",
    "SPLIT_DB": "[quote, sales]",
    "QUALITY_PATCHES": "[MDVA-30106]",
    "WARM_UP_PAGES": "['index.php']",
    "TTFB_TESTED_PAGES": "['/']",
    "CRON_CONSUMERS_RUNNER": "{cron_run: true, max_messages: 1000}",
    "X_FRAME_CONFIGURATION": "SAMEORIGIN",
    "DEPLOYED_MAGENTO_VERSION_FROM_GIT": "'2.4.7'",
    "DEPLOY_FROM_GIT_OPTIONS": "{}",
    "REMOTE_STORAGE": "{}",
}
BY_TYPE = {"integer": "2", "boolean": "true", "string": "some-value", "array": "{_merge: true}", None: "true"}
# ScdOptionsIgnorance warns about these in the build stage when static content is not deployed
# there: their valid cases use another stage, so no other validator has a say.
AVOID_BUILD = {"SCD_STRATEGY", "SCD_THREADS"}


class Case:
    def __init__(self, slug, yaml, verdict, source, generation, lock=None, files=None):
        self.slug, self.yaml, self.verdict = "schema-" + slug, yaml, verdict
        self.source, self.generation, self.lock, self.files = source, generation, lock, files or {}

    def write(self):
        path = OUT / self.slug
        path.mkdir(parents=True)
        (path / ".magento.env.yaml").write_text(self.yaml)
        if self.lock:
            (path / "composer.lock").write_text(self.lock)
        for name, text in self.files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_text(text)
        generation = f"generation: {self.generation}\n" if self.generation else ""
        (path / "verdict.txt").write_text(f"{self.verdict}\nsource: {self.source}\n{generation}")


def lock(version=None, metapackage=None):
    packages = []
    if version:
        packages.append({"name": "magento/ece-tools", "version": version})
    if metapackage:
        packages.append({"name": "magento/magento-cloud-metapackage", "version": metapackage[0],
                         "require": {"magento/ece-tools": metapackage[1]}})
    return json.dumps({"_readme": "magelint parity case", "packages": packages, "packages-dev": []}, indent=4) + "\n"


def env(stage, variable, value):
    return f"stage:\n  {stage}:\n    {variable}: {value}\n"


def slug(*parts):
    return "-".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts if p != "")


def valid_value(name, spec):
    if name in VALID:
        return VALID[name]
    allowed = [a for a in spec.get("allowed") or [] if a != ""]
    if allowed:
        return yaml_scalar(allowed[0])
    for validator in spec.get("validators", []):
        if validator["class"].endswith("\\Range"):
            return str(validator["args"][0])
    return BY_TYPE[spec.get("type")]


def yaml_scalar(value):
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)


def home_stage(name, spec):
    stages = spec["stages"]
    preferred = [s for s in ("deploy", "global", "build", "post-deploy") if s in stages]
    if name in AVOID_BUILD:
        preferred = [s for s in preferred if s != "build"]
    return preferred[0]


def variable_cases(name, spec, generation, pinned):
    """The cases of one variable, checked with `generation` (pinned by composer.lock when set)."""
    cases = []
    locked = lock(pinned) if pinned else None
    stage = home_stage(name, spec)
    kind = spec.get("type")
    source = lambda key: SOURCES[key] if generation == "2002.1" else f"{SOURCES[key]}; {DELTA} ({name})"
    add = lambda s, yaml, verdict, key: cases.append(Case(s, yaml, verdict, source(key), generation, locked))
    add(slug(name, "valid"), env(stage, name, valid_value(name, spec)), "pass", "pass")
    # Wrong types.
    wrong = {
        "integer": [("float", "2.0"), ("exponent", "1e3"), ("plus-sign", "+3"), ("quoted", "'4'")],
        "boolean": [("quoted-true", "'true'")],
        "string": [("integer", "1")],
        "array": [("string", "foo")],
    }.get(kind, [])
    for what, value in wrong:
        add(slug(name, "type", what), env(stage, name, value), "fail 10", "type")
    # Allowed values: one in (the valid case), one out.
    if spec.get("allowed"):
        add(slug(name, "not-allowed"), env(stage, name, "'not-a-listed-value'"), "fail 10", "allowed")
    for validator in spec.get("validators", []):
        if validator["class"].endswith("\\Range"):
            low, high = validator["args"]
            add(slug(name, "range-top"), env(stage, name, str(high)), "pass", "range")
            add(slug(name, "range-above"), env(stage, name, str(high + 1)), "fail 10", "range")
            add(slug(name, "range-below"), env(stage, name, str(low - 1)), "fail 10", "range")
    # A stage it does not belong to.
    other = [s for s in STAGES if s not in spec["stages"]]
    if other:
        add(slug(name, "stage", other[0]), env(other[0], name, valid_value(name, spec)), "fail 10", "stage")
    return cases


def special_cases(g1, g2):
    pin = lock("2002.1.17")
    cases = []
    add = lambda s, yaml, verdict, key, generation="2002.1", locked=pin, files=None: cases.append(
        Case(s, yaml, verdict, SOURCES[key], generation, locked, files))
    # Type edges Symfony YAML decides.
    add("scd-threads-hex", env("deploy", "SCD_THREADS", "0x1A"), "pass", "type")
    add("scd-threads-octal", env("deploy", "SCD_THREADS", "017"), "pass", "type")
    add("scd-threads-negative", env("deploy", "SCD_THREADS", "-1"), "pass", "type")
    add("skip-scd-false", env("build", "SKIP_SCD", "false"), "pass", "type")
    add("skip-scd-yes", env("build", "SKIP_SCD", "yes"), "fail 10", "type")
    add("skip-scd-on", env("build", "SKIP_SCD", "on"), "fail 10", "type")
    add("skip-scd-one", env("build", "SKIP_SCD", "1"), "fail 10", "type")
    add("skip-scd-null", env("build", "SKIP_SCD", "~"), "fail 10", "type")
    add("verbose-commands-empty", "stage:\n  build:\n    VERBOSE_COMMANDS:\n", "fail 10", "type")
    add("deployed-magento-version-float", env("global", "DEPLOYED_MAGENTO_VERSION_FROM_GIT", "2.4"), "fail 10", "type")
    add("scd-matrix-null", env("deploy", "SCD_MATRIX", "~"), "fail 10", "type")
    add("scd-matrix-list", env("deploy", "SCD_MATRIX", "[]"), "pass", "type")
    # Allowed lists: `''` is a default, not a value, where the list lacks it.
    add("scd-strategy-empty", env("build", "SCD_STRATEGY", "''"), "fail 10", "allowed")
    add("scd-strategy-capital", env("deploy", "SCD_STRATEGY", "Quick"), "fail 10", "allowed")
    add("scd-strategy-standard", env("global", "SCD_STRATEGY", "standard"), "pass", "allowed")
    add("verbose-commands-enabled", env("build", "VERBOSE_COMMANDS", "enabled"), "fail 10", "allowed")
    add("verbose-commands-empty-string", env("build", "VERBOSE_COMMANDS", "''"), "pass", "allowed")
    add("verbose-commands-vvv", env("post-deploy", "VERBOSE_COMMANDS", "-vvv"), "pass", "allowed")
    add("min-logging-level-empty-string", env("global", "MIN_LOGGING_LEVEL", "''"), "pass", "allowed")
    add("min-logging-level-verbose", env("global", "MIN_LOGGING_LEVEL", "verbose"), "fail 10", "allowed")
    add("lock-provider-file", env("deploy", "LOCK_PROVIDER", "file"), "pass", "allowed")
    add("redis-backend-no-leading-backslash",
        env("deploy", "REDIS_BACKEND", "'Magento\\Framework\\Cache\\Backend\\Redis'"), "fail 10", "allowed")
    add("redis-backend-remote-synchronized",
        env("deploy", "REDIS_BACKEND", "'\\Magento\\Framework\\Cache\\Backend\\RemoteSynchronizedCache'"), "pass", "allowed")
    # SPLIT_DB: only quote and sales, compared as strings.
    add("split-db-foo", env("deploy", "SPLIT_DB", "[foo]"), "fail 10", "split")
    add("split-db-capital", env("deploy", "SPLIT_DB", "[Quote]"), "fail 10", "split")
    add("split-db-one", env("global", "SPLIT_DB", "[sales]"), "pass", "split")
    add("split-db-empty", env("deploy", "SPLIT_DB", "[]"), "pass", "split")
    add("split-db-map", env("deploy", "SPLIT_DB", "{a: quote}"), "pass", "split")
    add("split-db-scalar", env("deploy", "SPLIT_DB", "quote"), "fail 10", "type")
    # Unknown variables and stages.
    add("unknown-misspelt", env("build", "SCD_STRATEGI", "compact"), "fail 10", "unknown")
    add("unknown-variable", env("deploy", "MY_SETTING", "true"), "fail 10", "unknown")
    add("unknown-lowercase", env("deploy", "scd_threads", "2"), "fail 10", "unknown")
    add("unknown-stage-with-variable", env("integration", "REDIS_BACKEND", "Cm_Cache_Backend_Redis"), "fail 10", "stage")
    add("unknown-stage-with-unknown-variable", env("production", "FOO", "1"), "fail 10", "unknown")
    add("unknown-stage-empty", "stage:\n  integration: {}\n", "pass", "ignored")
    add("unknown-stage-scalar", "stage:\n  integration: true\n", "pass", "ignored")
    add("unknown-stage-null", "stage:\n  integration:\n", "pass", "ignored")
    add("system-variable-in-stage", env("global", "ENV_RELATIONSHIPS", "PLATFORM_RELATIONSHIPS"), "fail 10", "stage")
    add("system-variables", "system:\n  variables:\n    ENV_RELATIONSHIPS: PLATFORM_RELATIONSHIPS\n    ENV_ROUTES: PLATFORM_ROUTES\n", "pass", "pass")
    # Empty files and sections.
    add("empty-file", "", "pass", "pass")
    add("comments-only", "# stage:\n#   deploy:\n#     SCD_THREADS: 2.0\n", "pass", "pass")
    add("stage-null", "stage:\n", "pass", "pass")
    add("stages-null", "stage:\n  global:\n  build:\n  deploy:\n  post-deploy:\n", "pass", "pass")
    add("log-section", "log:\n  gelf:\n    min_level: info\n    use_default_formatter: true\n", "pass", "pass")
    add("every-stage", "stage:\n  global:\n    SCD_ON_DEMAND: false\n    SKIP_HTML_MINIFICATION: true\n"
        "  build:\n    SKIP_SCD: false\n    QUALITY_PATCHES: [MDVA-30106]\n"
        "  deploy:\n    REDIS_BACKEND: '\\Magento\\Framework\\Cache\\Backend\\RemoteSynchronizedCache'\n"
        "    MYSQL_USE_SLAVE_CONNECTION: true\n    CRON_CONSUMERS_RUNNER:\n      cron_run: true\n      max_messages: 1000\n"
        "  post-deploy:\n    WARM_UP_PAGES:\n      - index.php\n", "pass", "pass")
    # A file Symfony YAML refuses: ece-tools' logger reads it first.
    parse = "src/App/Logger/Pool.php (a ParseException is BUILD_CONFIG_PARSE_FAILED); src/Config/Environment/Reader.php"
    add("parse-error", "stage:\n  deploy: [\n", "fail 4", "pass")
    # (A file that does not parse is checked with no schema.)
    cases[-1].source, cases[-1].generation = parse, None
    add("duplicate-key", "stage:\n  deploy:\n    SCD_THREADS: 2\n    SCD_THREADS: 4\n", "fail 4", "pass")
    cases[-1].source = parse + "; Symfony YAML 5.4 Parser (Duplicate key)"
    add("two-problems", "stage:\n  build:\n    SCD_THREADS: '4'\n    SCD_STRATEGI: compact\n", "fail 10", "type")
    # The generation: what composer.lock pins, an installed schema, the newest.
    lua = env("deploy", "USE_LUA", "false")
    gc = env("deploy", "USE_LUA_ON_GC", "true")
    webhooks = env("global", "ENABLE_WEBHOOKS", "true")
    delta = lambda name: f"{DELTA} ({name}); {SOURCES['unknown']}"
    add("gen-2002-1-17-use-lua", lua, "fail 10", "unknown")
    add("gen-newest-use-lua", lua, "pass", "pass", "2002.2", None)
    cases[-1].source = delta("USE_LUA")
    add("gen-2002-1-19-use-lua", lua, "pass", "pass", "2002.2", lock("2002.1.19"))
    cases[-1].source = delta("USE_LUA since 2002.1.19")
    add("gen-2002-2-11-use-lua-on-gc", gc, "fail 10", "unknown", "2002.2", lock("2002.2.11"))
    cases[-1].source = delta("USE_LUA_ON_GC since 2002.2.12")
    add("gen-2002-2-13-use-lua-on-gc", gc, "pass", "pass", "2002.2", lock("2002.2.13"))
    cases[-1].source = delta("USE_LUA_ON_GC since 2002.2.12")
    add("gen-2002-1-10-enable-webhooks", webhooks, "fail 10", "unknown", "2002.1", lock("2002.1.10"))
    cases[-1].source = f"config/schema.yaml of 2002.1.10 has no ENABLE_WEBHOOKS (added in 2002.1.16); {SOURCES['unknown']}"
    add("gen-2002-1-16-enable-webhooks", webhooks, "pass", "pass", "2002.1", lock("2002.1.16"))
    add("gen-metapackage-2002-1-use-lua", lua, "pass", "pass", "2002.2", lock(metapackage=("2.4.4", "^2002.1.0")))
    cases[-1].source = delta("the 2002.1 line's newest release, 2002.1.19, has USE_LUA")
    add("gen-metapackage-2002-1-use-lua-on-gc", gc, "fail 10", "unknown", "2002.2", lock(metapackage=("2.4.4", "^2002.1.0")))
    cases[-1].source = delta("USE_LUA_ON_GC since 2002.2.12; the 2002.1 line ends at 2002.1.19")
    # With its scopes: ece-tools warns 1006 (not ideal: no SCD in the build) without them.
    config_php = {"app/etc/config.php": "<?php\nreturn [\n    'modules' => [\n        'Magento_Store' => 1,\n    ],\n    'scopes' => [\n        'websites' => ['admin' => ['code' => 'admin'], 'base' => ['code' => 'base']],\n        'stores' => ['admin' => ['code' => 'admin'], 'default' => ['code' => 'default']],\n    ],\n];\n"}
    add("gen-installation-2002-1-17-use-lua", lua, "fail 10", "unknown", files=config_php)
    add("gen-installation-2002-2-13-use-lua", lua, "pass", "pass", "2002.2", lock("2002.2.13"), config_php)
    cases[-1].source = delta("USE_LUA")
    installed = {"vendor/magento/ece-tools/config/schema.yaml": installed_schema(g1)}
    add("gen-installed-own-variable", env("deploy", "MY_VARIABLE", "two"), "pass", "installed", "installed", pin, installed)
    add("gen-installed-value", env("deploy", "MY_VARIABLE", "three"), "fail 10", "installed", "installed", pin, installed)
    add("gen-installed-lacks-variable", env("deploy", "GENERATED_CODE_SYMLINK", "false"), "fail 10", "installed",
        "installed", pin, installed)
    return cases


def installed_schema(g1):
    """An installed ece-tools' config/schema.yaml for the cases: the 2002.1 facts (which the build
    reads defaults from) written back in schema.yaml's shape, without GENERATED_CODE_SYMLINK and
    with a variable of its own, MY_VARIABLE."""
    variables = {}
    for name, spec in g1["variables"].items():
        if name == "GENERATED_CODE_SYMLINK":
            continue
        entry = {k: v for k, v in spec.items() if k not in ("validators", "since")}
        validators = []
        for validator in spec.get("validators", []):
            written = {"class": validator["class"]}
            if validator["class"].endswith("\\Range"):
                written["from"], written["to"] = validator["args"]
            validators.append(written)
        if validators:
            entry["validators"] = validators
        variables[name] = entry
    variables["MY_VARIABLE"] = {"type": "string", "allowed": ["one", "two"], "stages": ["deploy"],
                                "default": {"deploy": "one"}}
    header = "# The schema of an installed ece-tools, written for magelint's parity cases from its 2002.1 facts.\n"
    return header + yaml.safe_dump({"version": 1, "variables": variables}, sort_keys=False, default_flow_style=False)


def generate():
    g1 = json.loads((ROOT / "data/ece-tools/schema/2002.1.json").read_text())
    g2 = json.loads((ROOT / "data/ece-tools/schema/2002.2.json").read_text())
    cases = []
    for name, spec in g1["variables"].items():
        if spec.get("stages"):
            cases += variable_cases(name, spec, "2002.1", "2002.1.17")
    for name, spec in g2["variables"].items():
        if spec.get("stages") and name not in g1["variables"]:
            cases += variable_cases(name, spec, "2002.2", None)
            pinned = Case(slug(name, "pinned-2002-1-17"), env(home_stage(name, spec), name, valid_value(name, spec)),
                          "fail 10", f"{DELTA} ({name} since {spec['since']}); {SOURCES['unknown']}", "2002.1",
                          lock("2002.1.17"))
            cases.append(pinned)
    cases += special_cases(g1, g2)
    slugs = [c.slug for c in cases]
    duplicates = {s for s in slugs if slugs.count(s) > 1}
    if duplicates:
        raise SystemExit(f"duplicate cases: {sorted(duplicates)}")
    return cases


def oracle(cases, ece_tools: pathlib.Path) -> int:
    """Runs the 2002.1 cases through ece-tools' own code, each with the release it pins."""
    by_release = {}
    for case in cases:
        if case.generation == "2002.2":
            continue
        pinned = json.loads(case.lock)["packages"][0]["version"] if case.lock else "2002.1.17"
        by_release.setdefault(pinned, []).append(case)
    mismatches = 0
    for release, group in sorted(by_release.items()):
        with tempfile.TemporaryDirectory() as tmp:
            source = pathlib.Path(tmp)
            archive = subprocess.run(["git", "-C", str(ece_tools), "archive", release, "src", "config"],
                                     check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
            dirs = [str(OUT / c.slug) for c in group]
            out = subprocess.run(["php", str(ROOT / "scripts/ece-tools-oracle.php"), str(source), *dirs],
                                 check=True, capture_output=True, text=True).stdout
        for case, line in zip(group, out.splitlines()):
            got = line.split(" ", 1)[1]
            verdict = got.split(":", 1)[0]
            if verdict != case.verdict:
                mismatches += 1
                print(f"{case.slug}: recorded `{case.verdict}`, ece-tools {release} says `{got}`", file=sys.stderr)
        print(f"ece-tools {release}: {len(group)} cases run")
    return mismatches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", type=pathlib.Path, help="an ece-tools git checkout with its release tags")
    args = parser.parse_args()
    cases = generate()
    for old in OUT.glob("schema-*"):
        shutil.rmtree(old)
    for case in cases:
        case.write()
    verdicts = [c.verdict for c in cases]
    print(f"{len(cases)} cases ({verdicts.count('pass')} pass, {len(verdicts) - verdicts.count('pass')} fail) -> {OUT.relative_to(ROOT)}")
    if args.oracle:
        mismatches = oracle(cases, args.oracle)
        if mismatches:
            print(f"{mismatches} verdicts differ from ece-tools'", file=sys.stderr)
            return 1
        print("every 2002.1 verdict is ece-tools' own")
    return 0


if __name__ == "__main__":
    sys.exit(main())
