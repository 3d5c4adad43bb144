# Run by `cargo xtask lint` in the virtualenv it installs: validates the
# spec with openapi-spec-validator and each example against its schema with
# openapi-schema-validator's OpenAPI 3.0 dialect.
#
# argv[1]: the spec file. stdin: JSON [{"pointer", "schema", "instance"}],
# the examples with their schemas, `$ref`s resolved. stdout: JSON
# {"spec": [{"pointer", "message"}], "examples": [{"pointer", "message"}]}.
import json
import re
import sys

import yaml
from jsonschema import validators
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import OpenAPIV30SpecValidator
from openapi_spec_validator.validation.keywords import SchemaValidator

LONGEST_MESSAGE = 200


def pointer(parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def one_line(message):
    message = " ".join(str(message).split())
    if len(message) > LONGEST_MESSAGE:
        message = message[: LONGEST_MESSAGE - 1] + "…"
    return message


def is_regex_format_check(error):
    """The meta-schema's `format: regex` check on a `pattern`, made with
    Python's `re`, which lacks ECMA-262's Unicode classes (`\\p{L}`). Lint's
    own pattern-does-not-compile check compiles every pattern with the
    client's engine instead."""
    return error.validator == "format" and error.validator_value == "regex"


def pattern_python_reads(validator, pattern, instance, schema):
    """`pattern` checked where Python's `re` reads it. One it cannot read
    (ECMA-262's Unicode classes, `\\p{L}`) lint checks in Rust instead,
    with the client's engine."""
    try:
        re.compile(pattern)
    except re.error:
        return
    yield from OAS30Validator.VALIDATORS["pattern"](validator, pattern, instance, schema)


ExampleValidator = validators.extend(OAS30Validator, {"pattern": pattern_python_reads})


def walk_each_schema_once():
    """openapi-spec-validator 0.9.0 collects a schema's properties through
    `allOf` and `oneOf` without remembering where it is, so a base whose
    `oneOf` lists subtypes that refer back to it in `allOf` (Atlas's
    `DiskBackupCopyPolicyItem`) recurses until Python gives up (upstream
    issue #400, open). The walk skips a schema it is already inside; the
    properties it collects are the same."""
    collect = SchemaValidator._collect_properties
    inside = []

    def collect_once(self, schema):
        with schema.resolve() as resolved:
            node = resolved.contents
        if any(seen is node for seen in inside):
            return set()
        inside.append(node)
        try:
            return collect(self, schema)
        finally:
            inside.pop()

    SchemaValidator._collect_properties = collect_once


def main():
    walk_each_schema_once()
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    examples = json.load(sys.stdin)

    spec_errors = []
    if isinstance(spec, dict):
        for error in OpenAPIV30SpecValidator(spec).iter_errors():
            if is_regex_format_check(error):
                continue
            spec_errors.append(
                {"pointer": pointer(error.absolute_path), "message": one_line(error.message)}
            )
    else:
        spec_errors.append({"pointer": "", "message": "the document is not a mapping"})

    example_errors = []
    for example in examples:
        try:
            validator = ExampleValidator(example["schema"], format_checker=oas30_format_checker)
            errors = list(validator.iter_errors(example["instance"]))
        except Exception as e:  # a schema the validator cannot use
            errors = [e]
        for error in errors:
            inner = pointer(getattr(error, "absolute_path", []))
            example_errors.append(
                {
                    "pointer": example["pointer"] + inner,
                    "message": one_line(getattr(error, "message", error)),
                }
            )

    json.dump({"spec": spec_errors, "examples": example_errors}, sys.stdout)


main()
