#!/usr/bin/env bash
# Usage: scripts/milvus-helm.sh install|upgrade [--standalone]
#   install   add the chart repository and install (or upgrade) the Milvus release
#   upgrade   upgrade the release in place with the same pinned chart and values
#   --standalone  layer milvus/values-standalone.yaml over milvus/values.yaml
# Environment: MILVUS_NAMESPACE (default milvus), MILVUS_RELEASE (default milvus),
#   DRY_RUN=1 prints the exact helm commands instead of running them.
# The functions reach it at <release>.<namespace>.svc.cluster.local:19530
# (MILVUS_ADDRESS in knative/00-config.yaml). Authentication is on: install
# creates, once, a random root password in the Secret milvus-root (release
# namespace) and the functions' MILVUS_TOKEN in the Secret ragnative-milvus
# (namespace ragnative), and admits only the functions that use Milvus
# (milvus/network-policy.yaml).
source "$(dirname "$0")/kn/lib.sh"
CHART_VERSION=4.2.45 # Milvus 2.5.9
APP_NAMESPACE=$NAMESPACE # ragnative's, from lib.sh
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
# The credential: milvus-root's password is made once, at random, and kept (the
# root user's password is set only when Milvus first starts); the functions'
# MILVUS_TOKEN is written from it every time, so it always matches. A release
# installed before authentication was on keeps root's old password: change it
# once to milvus-root's (pymilvus: utility.reset_password) before upgrading.
credential() {
  local password=''
  ensure_namespace "$NAMESPACE"
  ensure_namespace "$APP_NAMESPACE"
  if [[ ${DRY_RUN:-0} != 1 ]]; then
    password=$(kubectl -n "$NAMESPACE" get secret milvus-root -o jsonpath='{.data.password}' 2>/dev/null | base64 -d || true)
  fi
  if [[ -z $password ]]; then
    password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    run kubectl -n "$NAMESPACE" create secret generic milvus-root --from-literal=password="$password"
  fi
  run kubectl -n "$APP_NAMESPACE" delete secret ragnative-milvus --ignore-not-found
  run kubectl -n "$APP_NAMESPACE" create secret generic ragnative-milvus --from-literal=MILVUS_TOKEN="root:$password"
}

case $verb in
  install)
    credential
    run helm repo add zilliztech https://zilliztech.github.io/milvus-helm/
    run helm repo update zilliztech
    run helm upgrade --install "$RELEASE" zilliztech/milvus --version "$CHART_VERSION" -n "$NAMESPACE" --create-namespace "${values[@]}" --wait --timeout 20m
    run kubectl apply -f "$root/milvus/network-policy.yaml" ;;
  upgrade)
    credential
    run helm upgrade "$RELEASE" zilliztech/milvus --version "$CHART_VERSION" -n "$NAMESPACE" "${values[@]}" --wait --timeout 20m
    run kubectl apply -f "$root/milvus/network-policy.yaml" ;;
  *) usage ;;
esac
