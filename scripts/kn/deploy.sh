#!/usr/bin/env bash
# Usage: scripts/kn/deploy.sh
# Applies knative/ to the cluster in file order (configuration, Services, Broker,
# Triggers, SinkBinding, NetworkPolicies) in the namespace $NAMESPACE (default ragnative), then
# waits for every Service to be Ready.
# Needs: the Secret ragnative-secrets (see knative/00-config.yaml) and Milvus.
source "$(dirname "$0")/lib.sh"
[[ ${1:-} == -h || ${1:-} == --help ]] && usage
root=$(cd "$(dirname "$0")/../.." && pwd)
ensure_namespace "$NAMESPACE"
for file in "$root"/knative/*.yaml; do
  run kubectl apply -n "$NAMESPACE" -f "$file"
done
run kubectl wait -n "$NAMESPACE" ksvc --all --for=condition=Ready --timeout=600s
