#!/usr/bin/env bash
# Usage: scripts/schemathesis-local.sh install|st [schemathesis arguments…]
#   install  Schemathesis (PyPI, pinned) into .local/schemathesis/venv, once
#   st       install if needed, then run `schemathesis` with the given arguments
# The OpenAPI conformance test (test/integration/openapi-conformance.test.ts) runs
# it against /openapi.json of a running stack. DRY_RUN=1 prints the commands instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$ROOT/.local/schemathesis/venv
VERSION=4.32.5

run() { if [[ ${DRY_RUN:-0} == 1 ]]; then echo "$*"; else "$@"; fi; }

install() {
  if [[ -x $VENV/bin/schemathesis ]] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then return; fi
  run python3 -m venv "$VENV"
  run "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
}

case ${1:-} in
  install) install ;;
  st) shift; install; run "$VENV/bin/schemathesis" "$@" ;;
  *) echo "usage: $0 install|st [arguments]" >&2; exit 2 ;;
esac
