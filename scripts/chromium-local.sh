#!/usr/bin/env bash
# Usage: scripts/chromium-local.sh install|path
#   install  Debian's chromium from apt when no Chromium is installed (the playground's
#            browser test drives it with playwright-core, which downloads no browser);
#            where that cannot be done it says so and succeeds
#   path     print the browser's path (exit 1 when none is installed)
# Environment: CHROMIUM_PATH (a Chromium or Chrome already installed elsewhere),
#   DRY_RUN=1 prints the commands instead of running them.
set -euo pipefail

run() { if [[ ${DRY_RUN:-0} == 1 ]]; then echo "$*"; else "$@"; fi; }

path() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [[ -n $candidate && -x $candidate ]]; then echo "$candidate"; return 0; fi
  done
  return 1
}

install() {
  if path >/dev/null; then return; fi
  local sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo -n)
  if command -v apt-get >/dev/null \
    && run "${sudo[@]}" apt-get update -qq \
    && run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    return
  fi
  # Not fatal: the browser test then says it was skipped, and why (CI requires the browser).
  echo "chromium-local.sh: could not install Debian's chromium (no apt, or no root); set CHROMIUM_PATH to a Chromium to run the browser test" >&2
}

case ${1:-} in
  install) install ;;
  path) path ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
