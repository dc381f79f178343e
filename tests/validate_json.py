#!/usr/bin/env python3
"""validate_json.py — validates gatecv's bus documents against the JSON Schemas in schema/.

Usage: /usr/bin/python3 tests/validate_json.py SCHEMA_DIR < lines

Each stdin line is KIND<TAB>JSON, KIND one of crossing, health, request, reply (empty lines
are skipped). Prints one line per invalid document (its line number, kind and the error),
then "N passed, M failed"; exits 1 if any failed, 2 if the schemas cannot be loaded.
The schemas are registered by their $id, so the reply schema's reference to the health
schema resolves as it would for any client that loads both.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

try:  # jsonschema >= 4.18
    from referencing import Registry, Resource
except ImportError:  # Debian 12's python3-jsonschema 4.10
    Registry = None
    from jsonschema import RefResolver

SCHEMAS = {
    "crossing": "gatecv.crossing-1.schema.json",
    "health": "gatecv.health-1.schema.json",
    "request": "gatecv.request-1.schema.json",
    "reply": "gatecv.reply-1.schema.json",
}

# The requests and replies: each a branch of the schema's oneOf, in its $defs.
BRANCHES = {
    "request": ("fetch", "ack", "status", "manifest"),
    "reply": ("fetch", "ack", "status", "manifest", "error"),
}


def load_validators(schema_dir):
    schemas = {}
    for kind, name in SCHEMAS.items():
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schemas[kind] = json.load(f)
        Draft202012Validator.check_schema(schemas[kind])
    if Registry is not None:
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        return {kind: Draft202012Validator(s, registry=registry) for kind, s in schemas.items()}
    store = {s["$id"]: s for s in schemas.values()}
    return {kind: Draft202012Validator(s, resolver=RefResolver.from_schema(s, store=store))
            for kind, s in schemas.items()}


def problem(validators, line):
    """What is wrong with one input line, or None if its document is valid."""
    kind, tab, text = line.partition("\t")
    if not tab:
        return "not KIND<TAB>JSON"
    if kind not in validators:
        return f"unknown kind '{kind}' (expected {', '.join(SCHEMAS)})"
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        return f"not JSON: {e}"
    validator = validators[kind]
    error = best_match(validator.iter_errors(document))
    if error is not None and kind in BRANCHES and isinstance(document, dict):
        # the oneOf is over the member named like the kind: name the branch's own error
        name = document.get(kind)
        if name not in BRANCHES[kind]:
            return f"{kind}: {name!r} is not one of {', '.join(BRANCHES[kind])}"
        branch = validator.evolve(schema=validator.schema["$defs"][name])
        error = best_match(branch.iter_errors(document)) or error
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    return f"{where}: {error.message}"


def main():
    if len(sys.argv) != 2:
        print("usage: validate_json.py SCHEMA_DIR < lines (KIND<TAB>JSON)", file=sys.stderr)
        return 2
    try:
        validators = load_validators(sys.argv[1])
    except (OSError, ValueError, KeyError) as e:
        print(f"validate_json.py: cannot load the schemas: {e}", file=sys.stderr)
        return 2
    passed = failed = 0
    for number, line in enumerate(sys.stdin.read().split("\n"), start=1):
        if not line.strip():
            continue
        why = problem(validators, line)
        if why is None:
            passed += 1
        else:
            failed += 1
            print(f"line {number} ({line.partition(chr(9))[0]}): {why}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
