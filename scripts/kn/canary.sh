#!/usr/bin/env bash
# Usage: scripts/kn/canary.sh <service> <stable-revision> <candidate-revision> <candidate-percent>
# Splits traffic: candidate-percent to the candidate, the rest to the stable revision.
# Example: scripts/kn/canary.sh embed embed-v1 embed-v2 10   # 90/10
source "$(dirname "$0")/lib.sh"
require 4 "$@"
service=$1 stable=$2 candidate=$3 percent=$4
[[ $percent =~ ^[0-9]+$ ]] && (( percent >= 0 && percent <= 100 )) || { echo "percent must be 0-100" >&2; exit 2; }
run kn service update "$service" -n "$NAMESPACE" --traffic "$stable=$((100 - percent))" --traffic "$candidate=$percent"
