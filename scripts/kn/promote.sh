#!/usr/bin/env bash
# Usage: scripts/kn/promote.sh <service> <revision>
# Sends all traffic to the revision.
# Example: scripts/kn/promote.sh embed embed-v2
source "$(dirname "$0")/lib.sh"
require 2 "$@"
run kn service update "$1" -n "$NAMESPACE" --traffic "$2=100"
