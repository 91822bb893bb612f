#!/usr/bin/env bash
# Installs the test dependencies and runs the whole suite: lint, types, schema, contract, tests.
# Tests run on SQLite always and on PostgreSQL when 127.0.0.1:5432 answers
# (RELATIEBEHEER_TEST_REQUIRE_POSTGRES=1 makes an unreachable PostgreSQL an error).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# Browser tests drive Debian's chromium (Playwright never downloads its own browser).
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
      || echo "!! chromium could not be installed; browser tests will be skipped"
  fi
fi

# Tools with dependencies that clash with ours get their own environment: schemathesis is
# requests-based, and caldav 3 brings urllib3-future, which breaks requests.
[ -x .venv-fuzz/bin/python ] || "$PY" -m venv .venv-fuzz
.venv-fuzz/bin/python -m pip install -q --disable-pip-version-check "schemathesis==4.32.5" "pip-audit>=2.7"

echo "== dependency audit"
.venv/bin/python -m pip freeze --exclude-editable > /tmp/relatiebeheer-requirements.$$.txt
audit_out=$(.venv-fuzz/bin/pip-audit --progress-spinner off -r /tmp/relatiebeheer-requirements.$$.txt --no-deps --disable-pip 2>&1) && audit_rc=0 || audit_rc=$?
rm -f /tmp/relatiebeheer-requirements.$$.txt
if echo "$audit_out" | grep -q "could not be audited"; then
  echo "!! pip-audit could not reach a vulnerability database from this machine: dependencies NOT audited"
elif [ "$audit_rc" -ne 0 ]; then
  echo "$audit_out"; exit 1
else
  echo "$audit_out" | tail -n 3
fi

echo "== ruff"
.venv/bin/ruff check server tests bench
.venv/bin/ruff format --check server tests bench
echo "== mypy"
.venv/bin/mypy
echo "== contract"
.venv/bin/relatiebeheer export-schema /tmp/relatiebeheer-live-schema.$$.graphql >/dev/null
if ! cmp -s schema.graphql /tmp/relatiebeheer-live-schema.$$.graphql; then
  echo "!! schema.graphql differs from the live schema: run 'relatiebeheer export-schema' and commit"
  exit 1
fi
rm -f /tmp/relatiebeheer-live-schema.$$.graphql
CONTRACT=${RELATIEBEHEER_CONTRACT_DIR:-../shared/contract}
if [ -f "$CONTRACT/check.py" ]; then
  .venv/bin/python "$CONTRACT/check.py" schema.graphql
  .venv/bin/python "$CONTRACT/validate_operations.py" schema.graphql
else
  echo "!! contract not found at $CONTRACT; skipped"
fi
echo "== pytest"
.venv/bin/python -m pytest "$@"
