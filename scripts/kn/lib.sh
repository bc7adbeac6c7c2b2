# Shared by the kn scripts: usage, argument checks, and DRY_RUN=1, which prints
# each command exactly as it would run instead of running it.
set -euo pipefail

NAMESPACE=${NAMESPACE:-ragnative}

usage() { sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

require() { # require <count> "$@": at least count arguments, else usage
  local count=$1; shift
  if (( $# < count )); then usage; fi
}

run() {
  if [[ ${DRY_RUN:-0} == 1 ]]; then
    local quoted=() arg
    for arg in "$@"; do
      if [[ $arg =~ ^[][A-Za-z0-9_./=:,@%+{}\<\>-]+$ ]]; then quoted+=("$arg"); else quoted+=("$(printf '%q' "$arg")"); fi
    done
    echo "${quoted[*]}"
  else
    "$@"
  fi
}

ensure_namespace() { # ensure_namespace <name>: creates it unless it exists
  if [[ ${DRY_RUN:-0} == 1 ]] || ! kubectl get namespace "$1" >/dev/null 2>&1; then run kubectl create namespace "$1"; fi
}
