#!/usr/bin/env bash
# Usage: scripts/kn/tag.sh <service> <revision> <tag>
# Gives a revision its own URL (https://<tag>-<service>.<domain>) without traffic.
# Example: scripts/kn/tag.sh embed embed-v2 candidate
source "$(dirname "$0")/lib.sh"
require 3 "$@"
run kn service update "$1" -n "$NAMESPACE" --tag "$2=$3"
