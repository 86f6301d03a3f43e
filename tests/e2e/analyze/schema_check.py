# schema_check.py SCHEMA JSON...: each document against docs/report-json.schema.json
# as published and against a strict copy that refuses any field the schema
# does not name (tests/e2e/analyze/json-schema.sh, tests/e2e/record/recording.sh).
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
def strict(s):
    # every object the schema describes refuses fields it does not name
    if isinstance(s, dict):
        if s.get('type') == 'object' and 'properties' in s and 'additionalProperties' not in s:
            s['additionalProperties'] = False
        for v in s.values():
            strict(v)
    elif isinstance(s, list):
        for v in s:
            strict(v)
    return s
validators = [jsonschema.Draft202012Validator(schema),
              jsonschema.Draft202012Validator(strict(copy.deepcopy(schema)))]
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for v in validators:
        for e in v.iter_errors(doc):
            print(f'{path}: {"/".join(map(str, e.absolute_path))}: {e.message}')
            bad += 1
sys.exit(1 if bad else 0)
