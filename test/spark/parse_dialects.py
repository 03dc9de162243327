"""Parses compiled scripts with sqlglot in their own dialect (npm run test:spark).

Reads {"bigquery": script, "snowflake": script, ...} as JSON on stdin; prints {dialect: [errors]}.
With --as DIALECT, the keys are names (a fixture's) and every script is parsed in DIALECT.
"""
import json
import sys

import sqlglot
from sqlglot.errors import ParseError


def main():
    scripts = json.load(sys.stdin)
    only = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--as" else None
    out = {}
    for name, text in scripts.items():
        errors = []
        try:
            statements = sqlglot.parse(text, read=only or name)
            if not [s for s in statements if s is not None]:
                errors.append("no statement parsed")
        except ParseError as e:
            errors.append(str(e)[:500])
        out[name] = errors
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
