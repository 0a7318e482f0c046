#!/usr/bin/env python3
"""The .magento.env.yaml schema generations magelint bundles, from ece-tools' config/schema.yaml.

    scripts/ece-tools-schema.py PATH/TO/ece-tools      extract, then derive (one command)
    scripts/ece-tools-schema.py extract PATH/TO/ece-tools
    scripts/ece-tools-schema.py derive [--check]

extract: reads config/schema.yaml of an ece-tools checkout (its `!php/const` tags resolved from
the checkout's PHP sources) and writes data/ece-tools/schema/<minor>.json (e.g. 2002.1.json):
per variable its type, allowed values, stages, value validators, defaults, system section,
magento_version and skip_dump. When the checkout is a git repository with release tags, each
variable added after the first release of the same minor line that has config/schema.yaml gets
`since` (the first release with it). ece-tools' descriptions and examples are not copied.

derive: the newest generation, which the public repository does not hold, is the newest
extracted one plus data/ece-tools/schema/<newest>-delta.yaml (each change with its public
source); it writes data/ece-tools/schema/<newest>.json and the JSON Schema magelint prints with
`magelint schema magento-env-yaml` (schemas/magento-env-yaml.schema.json). `--check` writes
nothing and fails when those files are not what derive would write (a test runs it).
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "data/ece-tools/schema"
JSON_SCHEMA = ROOT / "schemas/magento-env-yaml.schema.json"
STAGES = ["global", "build", "deploy", "post-deploy"]
# The facts kept of each variable (ece-tools' own descriptions and examples are not).
KEPT = ["type", "allowed", "stages", "validators", "default", "system", "magento_version", "skip_dump"]
RANGE = "Magento\\MagentoCloud\\Config\\Schema\\Validator\\Range"
SPLIT_DB = "Magento\\MagentoCloud\\Config\\Schema\\Validator\\SplitDb"


class PhpConst(str):
    """A `!php/const NAME` scalar, resolved later against the checkout's sources."""


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!php/const", lambda loader, node: PhpConst(loader.construct_scalar(node).strip()))


def php_literal(text: str, root: pathlib.Path, namespace: str):
    text = text.strip()
    if re.fullmatch(r"'(?:[^'\\]|\\.)*'", text):
        return text[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    if re.fullmatch(r'"[^"$\\]*"', text):
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    if text.lower() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text.lower()]
    if text.startswith("[") and text.endswith("]"):
        items = [i for i in re.split(r",\s*", text[1:-1].strip()) if i]
        return [php_literal(i, root, namespace) for i in items]
    if "::" in text:
        return resolve_const(text, root, namespace)
    raise ValueError(f"cannot read the PHP literal {text!r}")


def resolve_const(name: str, root: pathlib.Path, namespace: str = ""):
    """The value of a class constant `Class::NAME` defined in the checkout's src/."""
    cls, const = name.lstrip("\\").rsplit("::", 1)
    if cls in ("self", "static"):
        cls = namespace
    elif "\\" not in cls and namespace:
        cls = namespace.rsplit("\\", 1)[0] + "\\" + cls
    prefix = "Magento\\MagentoCloud\\"
    if not cls.startswith(prefix):
        raise ValueError(f"!php/const {name}: not an ece-tools class, cannot resolve")
    path = root / "src" / (cls[len(prefix):].replace("\\", "/") + ".php")
    source = path.read_text()
    found = re.search(r"const\s+" + re.escape(const) + r"\s*=\s*(.+?);", source, re.S)
    if found:
        return php_literal(found.group(1), root, cls)
    # An interface the class extends or implements may define it.
    for parent in re.findall(r"(?:extends|implements)\s+([\w\\, ]+)", source):
        for candidate in (p.strip() for p in parent.split(",")):
            if not candidate:
                continue
            uses = dict((u.rsplit("\\", 1)[-1], u) for u in re.findall(r"^use\s+([\w\\]+);", source, re.M))
            full = uses.get(candidate, cls.rsplit("\\", 1)[0] + "\\" + candidate)
            try:
                return resolve_const(full + "::" + const, root)
            except (ValueError, OSError):
                continue
    raise ValueError(f"!php/const {name}: no such constant in {path}")


def resolved(value, root):
    if isinstance(value, PhpConst):
        return resolve_const(value, root)
    if isinstance(value, dict):
        return {resolved(k, root): resolved(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v, root) for v in value]
    return value


def distill(variables: dict, root: pathlib.Path) -> dict:
    out = {}
    for name, spec in variables.items():
        spec = resolved(spec or {}, root)
        kept = {key: spec[key] for key in KEPT if key in spec}
        validators = []
        for validator in kept.get("validators", []):
            cls = validator["class"].lstrip("\\")
            entry = {"class": cls, "args": [v for k, v in validator.items() if k != "class"]}
            if cls == SPLIT_DB:
                entry["values"] = resolve_const("Magento\\MagentoCloud\\Config\\Stage\\DeployInterface::SPLIT_DB_VALUES", root)
            validators.append(entry)
        if validators:
            kept["validators"] = validators
        out[name] = kept
    return out


def git(root: pathlib.Path, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def version_key(version: str):
    return tuple(int(p) for p in version.split("."))


def since_by_variable(root: pathlib.Path, version: str) -> dict:
    """For each variable, the first release of `version`'s minor line whose schema.yaml has it;
    variables present in the line's first release with a schema.yaml get none."""
    minor = ".".join(version.split(".")[:2]) + "."
    try:
        tags = [t for t in git(root, "tag").split() if re.fullmatch(r"\d+\.\d+\.\d+", t) and t.startswith(minor)]
    except (OSError, subprocess.CalledProcessError):
        print("no git tags in the checkout: no `since` per variable", file=sys.stderr)
        return {}
    tags = sorted((t for t in tags if version_key(t) <= version_key(version)), key=version_key)
    first_seen = {}
    first_release = None
    for tag in tags:
        try:
            text = git(root, "show", f"{tag}:config/schema.yaml")
        except subprocess.CalledProcessError:
            continue
        first_release = first_release or tag
        for name in (yaml.load(text, Loader=Loader) or {}).get("variables", {}):
            first_seen.setdefault(name, tag)
    return {name: tag for name, tag in first_seen.items() if tag != first_release}


def extract(root: pathlib.Path) -> pathlib.Path:
    version = json.loads((root / "composer.json").read_text())["version"]
    schema = yaml.load((root / "config/schema.yaml").read_text(), Loader=Loader)
    variables = distill(schema["variables"], root)
    for name, tag in since_by_variable(root, version).items():
        if name in variables:
            variables[name]["since"] = tag
    try:
        commit = git(root, "rev-parse", "HEAD").strip()
    except (OSError, subprocess.CalledProcessError):
        commit = version
    minor = ".".join(version.split(".")[:2])
    out = {
        "generation": minor,
        "ece_tools_version": version,
        "source": f"https://github.com/magento/ece-tools/blob/{commit}/config/schema.yaml",
        "variables": variables,
    }
    path = DATA / f"{minor}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(out))
    print(f"{len(variables)} variables of ece-tools {version} -> {path.relative_to(ROOT)}")
    return path


def dump(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


def derived() -> dict:
    """Every derived file: path -> text."""
    deltas = sorted(DATA.glob("*-delta.yaml"))
    if len(deltas) != 1:
        raise SystemExit(f"expected one *-delta.yaml in {DATA}, found {len(deltas)}")
    delta = yaml.safe_load(deltas[0].read_text())
    base = json.loads((DATA / f"{delta['base_generation']}.json").read_text())
    if base["ece_tools_version"] != delta["base_version"]:
        raise SystemExit(f"{deltas[0].name} applies to {delta['base_version']}, "
                         f"{delta['base_generation']}.json is {base['ece_tools_version']}")
    variables = json.loads(json.dumps(base["variables"]))
    for change in delta["changes"]:
        name, action = change["variable"], change["action"]
        facts = {k: v for k, v in change.items() if k in KEPT + ["since", "deprecated"]}
        facts["sources"] = change["sources"]
        if action == "add":
            if name in variables:
                raise SystemExit(f"{name}: added by the delta but already in {base['ece_tools_version']}")
            variables[name] = facts
        elif action == "change":
            variables[name].update(facts)
        elif action == "remove":
            variables[name]["removed"] = change["removed"]
            variables[name]["sources"] = change["sources"]
        else:
            raise SystemExit(f"{name}: unknown action {action}")
    newest = {
        "generation": delta["generation"],
        "ece_tools_version": delta["newest_version"],
        "source": (f"{base['source']} (ece-tools {base['ece_tools_version']}) with the changes of "
                   f"data/ece-tools/schema/{deltas[0].name}, each with its public source"),
        "newest_releases": delta["newest_releases"],
        "variables": variables,
    }
    return {
        DATA / f"{delta['generation']}.json": dump(newest),
        JSON_SCHEMA: json.dumps(json_schema(newest), indent=2, ensure_ascii=False) + "\n",
    }


JSON_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean", "array": ["object", "array"]}


def described(name: str, spec: dict) -> str:
    """A description made of the variable's facts (ece-tools' own wording is not copied)."""
    parts = []
    stages = spec.get("stages") or []
    parts.append("Stages: " + ", ".join(stages) + "." if stages else "In no stage.")
    defaults = spec.get("default") or {}
    shown = [f"{stage} {json.dumps(value)}" for stage, value in defaults.items() if value not in ("", None, {}, [])]
    if shown:
        parts.append("Default: " + ", ".join(shown) + ".")
    if spec.get("magento_version"):
        parts.append(f"Adobe Commerce {spec['magento_version']}.")
    if spec.get("since"):
        parts.append(f"Since ece-tools {spec['since']}.")
    if spec.get("deprecated"):
        parts.append(f"Deprecated in ece-tools {spec['deprecated']}.")
    return f"ece-tools variable {name}. " + " ".join(parts)


def variable_schema(name: str, spec: dict, stage: str) -> dict:
    out = {}
    if spec.get("type") in JSON_TYPES:
        out["type"] = JSON_TYPES[spec["type"]]
    out["description"] = described(name, spec)
    if spec.get("allowed"):
        out["enum"] = spec["allowed"]
    for validator in spec.get("validators", []):
        if validator["class"] == RANGE and len(validator["args"]) == 2:
            out["minimum"], out["maximum"] = validator["args"]
        elif validator["class"] == SPLIT_DB:
            values = {"enum": validator["values"]}
            out["items"] = values
            out["additionalProperties"] = values
    default = (spec.get("default") or {}).get(stage)
    if default is not None and default != "" and not (spec.get("allowed") and default not in spec["allowed"]):
        out["default"] = default
    if spec.get("deprecated"):
        out["deprecated"] = True
    return out


def json_schema(generation: dict) -> dict:
    variables = generation["variables"]
    stage_properties = {}
    for stage in STAGES:
        stage_properties[stage] = {
            "type": ["object", "null"],
            "description": f"Variables of the {stage} stage."
            + (" They apply to every stage unless a stage sets them too." if stage == "global" else ""),
            "properties": {name: variable_schema(name, spec, stage) for name, spec in variables.items()
                           if stage in (spec.get("stages") or []) and not spec.get("removed")},
            "additionalProperties": False,
        }
    system = {name: {"type": JSON_TYPES.get(spec.get("type"), "string"),
                     "description": f"The environment variable ece-tools reads instead of "
                                    f"{(spec.get('default') or {}).get('variables', name)}."}
              for name, spec in variables.items() if "variables" in (spec.get("system") or [])}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://magelint.dev/schemas/magento-env-yaml.schema.json",
        "title": ".magento.env.yaml",
        "description": (f"ece-tools build and deploy configuration of Adobe Commerce on Cloud, ece-tools "
                        f"{generation['ece_tools_version']} (generated by scripts/ece-tools-schema.py from "
                        f"ece-tools' config/schema.yaml and data/ece-tools/schema; magelint checks each "
                        f"project against the generation its composer.lock pins)."),
        "type": ["object", "null"],
        "properties": {
            "stage": {
                "type": ["object", "null"],
                "description": "Variables by stage; `global` applies to every stage unless a stage sets them too.",
                "properties": stage_properties,
                "additionalProperties": False,
            },
            "log": {
                "type": ["object", "null"],
                "description": "Log handlers (slack, email, syslog, syslog_udp, gelf, file/stream) by name.",
                "additionalProperties": {"type": ["object", "null"]},
            },
            "system": {
                "type": ["object", "null"],
                "description": "System settings.",
                "properties": {
                    "variables": {
                        "type": ["object", "null"],
                        "description": "Names of the Cloud environment variables ece-tools reads.",
                        "properties": system,
                        "additionalProperties": False,
                    }
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }


def derive(check: bool) -> int:
    stale = []
    for path, text in derived().items():
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale (run scripts/ece-tools-schema.py derive): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if argv and argv[0] not in ("extract", "derive", "-h", "--help"):
        argv = ["all"] + argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("all", "extract"):
        command = commands.add_parser(name)
        command.add_argument("ece_tools", type=pathlib.Path)
    commands.add_parser("derive").add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.command in ("all", "extract"):
        extract(args.ece_tools)
        if args.command == "extract":
            return 0
        return derive(check=False)
    return derive(check=args.check)


if __name__ == "__main__":
    sys.exit(main())
