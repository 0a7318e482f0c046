#!/usr/bin/env python3
"""Add one ece-tools release's service facts to data/ece-tools/services.json.

    scripts/ece-tools-services.py PATH/TO/ece-tools [--ref TAG] [--out data/ece-tools/services.json]

PATH is a checkout (or a git directory with --ref: the files are read at TAG). Two facts are
taken, nothing else:
- the service versions each Magento version supports (`MAGENTO_SUPPORTED_SERVICE_VERSIONS` of
  src/Service/Validator.php; read by PHP itself, so constants and concatenations resolve as they
  do in ece-tools), which the ServiceVersion validator checks (ece-tools 2017);
- the end-of-life dates of services (config/eol.yaml), which the ServiceEol validator checks
  (ece-tools 2018);
- which Elasticsearch service versions each elasticsearch/elasticsearch client package accepts
  (`$versionsMap` of src/Config/Validator/Deploy/ElasticSearchVersion.php), which the
  ElasticSearchVersion validator checks (ece-tools 2011).
Releases with the same facts share one entry. Run it once per ece-tools release; magelint
applies an entry only to projects whose composer.lock locks one of its releases.
"""
import argparse
import datetime
import json
import pathlib
import subprocess
import sys
import tempfile

import yaml

FILES = ("composer.json", "src/Service/ServiceInterface.php", "src/Service/Validator.php", "config/eol.yaml",
         "src/Config/Validator/Deploy/ElasticSearchVersion.php")

# Prints the table as JSON: the interface first (its constants name the services), then the
# class, whose other dependencies are only named in methods and never loaded.
DUMP = r"""
require $argv[1] . '/src/Service/ServiceInterface.php';
require $argv[1] . '/src/Service/Validator.php';
echo json_encode(\Magento\MagentoCloud\Service\Validator::MAGENTO_SUPPORTED_SERVICE_VERSIONS);
"""


def git(repo: pathlib.Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def export(repo: pathlib.Path, ref: str, into: pathlib.Path) -> None:
    """Writes the files this script reads, as they are at `ref`, under `into`."""
    for name in FILES:
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(git(repo, "show", f"{ref}:{name}"))


def supported_versions(root: pathlib.Path) -> dict:
    table = json.loads(subprocess.run(["php", "-r", DUMP, str(root)], check=True,
                                      capture_output=True, text=True).stdout)
    # Ordered pairs: ece-tools takes the first Magento range that matches.
    return {service: [[magento, versions] for magento, versions in ranges.items()]
            for service, ranges in table.items()}


# Prints the validator's table (a literal array of strings in a private static property) as
# JSON: PHP evaluates the literal alone, so the class and its dependencies are never loaded.
DUMP_ES = r"""
$source = file_get_contents($argv[1] . '/src/Config/Validator/Deploy/ElasticSearchVersion.php');
if (!preg_match('/\$versionsMap\s*=\s*(\[.*?\]);\s*\n\s*\n/s', $source, $match)) {
    fwrite(STDERR, "no \$versionsMap in ElasticSearchVersion.php\n");
    exit(1);
}
echo json_encode(eval('return ' . $match[1] . ';'));
"""


def elasticsearch_client(root: pathlib.Path) -> list:
    table = json.loads(subprocess.run(["php", "-r", DUMP_ES, str(root)], check=True,
                                      capture_output=True, text=True).stdout)
    # In order: ece-tools reports the first row whose package constraint the client matches.
    return [[row["packageVersion"], row["esVersion"], row["esVersionRaw"]] for row in table]


def eol_dates(root: pathlib.Path) -> dict:
    path = root / "config/eol.yaml"
    if not path.exists():
        return {}
    dates = {}
    for service, entries in (yaml.safe_load(path.read_text()) or {}).items():
        listed = []
        for entry in entries or []:
            eol = entry.get("eol")
            if isinstance(eol, (datetime.date, datetime.datetime)):
                eol = eol.strftime("%Y-%m-%d")
            elif eol is not None:
                eol = str(eol)
            listed.append({"version": str(entry["version"]), "eol": eol})
        dates[service] = listed
    return dates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ece_tools", type=pathlib.Path)
    parser.add_argument("--ref", help="read the files at this tag or commit of the git repository")
    parser.add_argument("--out", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "data/ece-tools/services.json")
    args = parser.parse_args()
    ref = args.ref or "HEAD"
    commit = git(args.ece_tools, "rev-parse", f"{ref}^{{commit}}")
    date = git(args.ece_tools, "log", "-1", "--format=%cs", commit)
    with tempfile.TemporaryDirectory() as scratch:
        root = args.ece_tools
        if args.ref:
            root = pathlib.Path(scratch)
            export(args.ece_tools, args.ref, root)
        version = json.loads((root / "composer.json").read_text()).get("version", ref)
        facts = {"supported": supported_versions(root), "eol": eol_dates(root),
                 "elasticsearch_client": elasticsearch_client(root)}

    data = json.loads(args.out.read_text()) if args.out.exists() else {"releases": []}
    data["about"] = ("Service facts of ece-tools releases, by scripts/ece-tools-services.py: the service "
                     "versions each Magento version supports (src/Service/Validator.php), service "
                     "end-of-life dates (config/eol.yaml), and the Elasticsearch versions each "
                     "elasticsearch/elasticsearch client accepts (ElasticSearchVersion.php). Each entry "
                     "names the newest release it was read from.")
    releases = [r for r in data["releases"] if version not in r["ece_tools_versions"]]
    for release in releases:
        if all(release.get(key) == value for key, value in facts.items()):
            release["ece_tools_versions"].append(version)
            release["ece_tools_versions"].sort(key=lambda v: [int(p) for p in v.split(".")])
            if release["ece_tools_versions"][-1] == version:
                release["source"] = f"https://github.com/magento/ece-tools/tree/{commit}"
                release["date"] = date
            break
    else:
        releases.append({"ece_tools_versions": [version],
                         "source": f"https://github.com/magento/ece-tools/tree/{commit}",
                         "date": date, **facts})
    releases.sort(key=lambda r: [int(p) for p in r["ece_tools_versions"][0].split(".")])
    data["releases"] = releases
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"ece-tools {version} ({commit[:10]}, {date}) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
