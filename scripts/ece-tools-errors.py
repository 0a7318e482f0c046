#!/usr/bin/env python3
"""Regenerate data/ece-tools/errors.json from a checkout of magento/ece-tools.

    scripts/ece-tools-errors.py PATH/TO/ece-tools [--out data/ece-tools/errors.json]

Reads the numbers of the error constants (src/App/Error.php, src/App/ErrorInterface.php) and,
for each entry of config/schema.error.yaml, its stage, step and type (critical or warning).
Only these facts are kept: the wording of magelint's messages is its own.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

import yaml


def constants(root: pathlib.Path) -> dict:
    numbers = {}
    for name in ("src/App/Error.php", "src/App/ErrorInterface.php"):
        path = root / name
        if not path.exists():
            continue
        for constant, number in re.findall(r"const\s+([A-Z0-9_]+)\s*=\s*(\d+)\s*;", path.read_text()):
            numbers[constant] = int(number)
    return numbers


class Loader(yaml.SafeLoader):
    pass


# `!php/const Magento\...\Error::NAME` keys: keep the constant's name.
Loader.add_constructor("!php/const", lambda loader, node: loader.construct_scalar(node).split("::")[-1])


def version(root: pathlib.Path) -> str:
    composer = json.loads((root / "composer.json").read_text())
    return composer.get("version", "unknown")


def commit(root: pathlib.Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ece_tools", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "data/ece-tools/errors.json")
    args = parser.parse_args()
    numbers = constants(args.ece_tools)
    entries = yaml.load((args.ece_tools / "config/schema.error.yaml").read_text(), Loader=Loader)
    errors = []
    for constant, entry in entries.items():
        if constant not in numbers:
            print(f"{constant}: no number in src/App/Error*.php", file=sys.stderr)
            return 1
        errors.append({
            "code": numbers[constant],
            "constant": constant,
            "stage": entry.get("stage"),
            "step": entry.get("step"),
            "type": entry["type"],
        })
    errors.sort(key=lambda e: e["code"])
    out = {
        "source": "https://github.com/magento/ece-tools/blob/%s/config/schema.error.yaml" % commit(args.ece_tools),
        "ece_tools_version": version(args.ece_tools),
        "errors": errors,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(errors)} error codes from ece-tools {out['ece_tools_version']} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
