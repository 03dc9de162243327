"""Parses compiled scripts with sqlglot in their own dialect (npm run test:spark).

Reads {"bigquery": script, "snowflake": script, ...} as JSON on stdin; prints {dialect: [errors]}.
"""
import json
import sys

import sqlglot
from sqlglot.errors import ParseError


def main():
    scripts = json.load(sys.stdin)
    out = {}
    for dialect, text in scripts.items():
        errors = []
        try:
            statements = sqlglot.parse(text, read=dialect)
            if not [s for s in statements if s is not None]:
                errors.append("no statement parsed")
        except ParseError as e:
            errors.append(str(e)[:500])
        out[dialect] = errors
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
