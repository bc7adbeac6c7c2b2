#!/usr/bin/env bash
# Usage: scripts/kn/new-revision.sh <service> <revision-suffix> [--image IMAGE] [--env KEY=VALUE]...
# Creates revision <service>-<revision-suffix> with the given image and/or env,
# without moving traffic: traffic is first pinned to the revision serving now,
# so the new revision starts at 0 % (reach it with scripts/kn/tag.sh).
# Example: scripts/kn/new-revision.sh generate v2 --env OPENAI_MODEL=gpt-4.1-mini
source "$(dirname "$0")/lib.sh"
require 2 "$@"
service=$1 suffix=$2; shift 2
update=()
while (( $# > 0 )); do
  case $1 in
    --image) [[ $# -ge 2 ]] || usage; update+=(--image "$2"); shift 2 ;;
    --env) [[ $# -ge 2 ]] || usage; update+=(--env "$2"); shift 2 ;;
    *) usage ;;
  esac
done
(( ${#update[@]} > 0 )) || usage
describe=(kn service describe "$service" -n "$NAMESPACE" -o 'jsonpath={.status.latestReadyRevisionName}')
if [[ ${DRY_RUN:-0} == 1 ]]; then
  run "${describe[@]}"
  current='<latest-ready-revision>'
else
  current=$("${describe[@]}")
fi
run kn service update "$service" -n "$NAMESPACE" --traffic "$current=100"
run kn service update "$service" -n "$NAMESPACE" --revision-name "$service-$suffix" "${update[@]}"
