#!/usr/bin/env bash
# Usage: scripts/kn/revisions.sh <service>
# Lists a service's revisions with their traffic share and tags.
# Example: scripts/kn/revisions.sh embed
source "$(dirname "$0")/lib.sh"
require 1 "$@"
run kn revision list -n "$NAMESPACE" -s "$1"
run kn service describe "$1" -n "$NAMESPACE"
