#!/usr/bin/env bash
# Usage: scripts/milvus-helm.sh install|upgrade [--standalone]
#   install   add the chart repository and install (or upgrade) the Milvus release
#   upgrade   upgrade the release in place with the same pinned chart and values
#   --standalone  layer milvus/values-standalone.yaml over milvus/values.yaml
# Environment: MILVUS_NAMESPACE (default milvus), MILVUS_RELEASE (default milvus),
#   DRY_RUN=1 prints the exact helm commands instead of running them.
# The functions reach it at <release>.<namespace>.svc.cluster.local:19530
# (MILVUS_ADDRESS in knative/00-config.yaml).
source "$(dirname "$0")/kn/lib.sh"
CHART_VERSION=4.2.45 # Milvus 2.5.9
NAMESPACE=${MILVUS_NAMESPACE:-milvus}
RELEASE=${MILVUS_RELEASE:-milvus}
root=$(cd "$(dirname "$0")/.." && pwd)
require 1 "$@"
verb=$1; shift
values=(-f "$root/milvus/values.yaml")
case ${1:-} in
  --standalone) values+=(-f "$root/milvus/values-standalone.yaml") ;;
  "") ;;
  *) usage ;;
esac
case $verb in
  install)
    run helm repo add zilliztech https://zilliztech.github.io/milvus-helm/
    run helm repo update zilliztech
    run helm upgrade --install "$RELEASE" zilliztech/milvus --version "$CHART_VERSION" -n "$NAMESPACE" --create-namespace "${values[@]}" --wait --timeout 20m ;;
  upgrade)
    run helm upgrade "$RELEASE" zilliztech/milvus --version "$CHART_VERSION" -n "$NAMESPACE" "${values[@]}" --wait --timeout 20m ;;
  *) usage ;;
esac
