#!/usr/bin/env bash
# Usage: scripts/kn/rollback.sh <service> <revision>
# Sends all traffic back to a known-good revision and removes the candidate tag.
# Example: scripts/kn/rollback.sh embed embed-v1
source "$(dirname "$0")/lib.sh"
require 2 "$@"
run kn service update "$1" -n "$NAMESPACE" --traffic "$2=100" --untag candidate
