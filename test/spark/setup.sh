#!/usr/bin/env bash
# The Python side of npm run test:spark: Java 17 (Debian's openjdk-17-jre-headless, installed when
# java is missing and we are root), and a venv in .venv-spark with the pinned pyspark and sqlglot.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "test:spark needs Java 17: apt-get install openjdk-17-jre-headless" >&2
    exit 2
  fi
fi
if [ ! -x .venv-spark/bin/python ] || ! cmp -s test/spark/requirements.txt .venv-spark/requirements.txt; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install -q --disable-pip-version-check -r test/spark/requirements.txt
  cp test/spark/requirements.txt .venv-spark/requirements.txt
fi
