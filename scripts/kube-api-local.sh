#!/usr/bin/env bash
# Usage: scripts/kube-api-local.sh install|start|stop|status
#   install  build etcd and the Kubernetes apiextensions API server from the Go
#            module proxy into .local/kube-api/bin (a few minutes the first time)
#   start    start both on loopback, with a CA and a system:masters client
#            certificate made by openssl, and wait until CRDs can be listed
#   stop     stop what this script started
#   status   exit 0 when the API server answers with the client certificate
# A real API server for CustomResourceDefinitions and their custom resources:
# enough to create Knative's and the Prometheus Operator's CRDs and to
# server-side dry-run ragnative's manifests against them
# (test/integration/kube-api-dry-run.test.ts). It serves no built-in kinds
# (ConfigMap, NetworkPolicy, Job). Environment: KUBE_API_HOME (default
# .local/kube-api), KUBE_API_PORT (16443), KUBE_API_ETCD_PORT (23790).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOME_DIR=${KUBE_API_HOME:-$ROOT/.local/kube-api}
BIN_DIR=$ROOT/.local/kube-api/bin
PORT=${KUBE_API_PORT:-16443}
ETCD_PORT=${KUBE_API_ETCD_PORT:-23790}
APIEXTENSIONS_VERSION=v0.34.3 # Kubernetes 1.34
CERTS=$HOME_DIR/certs

ready() { # loopback to our own self-signed server: its certificate is not checked
  curl -skf --max-time 2 --cert "$CERTS/admin.crt" --key "$CERTS/admin.key" \
    "https://127.0.0.1:$PORT/apis/apiextensions.k8s.io/v1/customresourcedefinitions" >/dev/null 2>&1
}

install() {
  mkdir -p "$BIN_DIR"
  [[ -x $BIN_DIR/etcd ]] || (cd "$ROOT/scripts/kube-api-etcd" && GOFLAGS=-mod=mod go build -o "$BIN_DIR/etcd" .)
  [[ -x $BIN_DIR/apiextensions-apiserver ]] || GOBIN="$BIN_DIR" GOFLAGS=-mod=mod go install "k8s.io/apiextensions-apiserver@$APIEXTENSIONS_VERSION"
}

certificates() {
  [[ -f $CERTS/admin.crt ]] && return
  mkdir -p "$CERTS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=ragnative-local-ca" -keyout "$CERTS/ca.key" -out "$CERTS/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=ragnative-admin/O=system:masters" -keyout "$CERTS/admin.key" -out "$CERTS/admin.csr" 2>/dev/null
  openssl x509 -req -days 30 -in "$CERTS/admin.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" -CAcreateserial -out "$CERTS/admin.crt" 2>/dev/null
  # The server delegates authentication and authorization to a "core" API server;
  # pointing it at itself works because system:masters is never looked up.
  cat >"$CERTS/self.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: self, cluster: {server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {client-certificate: "$CERTS/admin.crt", client-key: "$CERTS/admin.key"}}]
contexts: [{name: self, context: {cluster: self, user: admin}}]
current-context: self
YAML
}

start_process() { # name, command...
  local name=$1; shift
  setsid "$@" >"$HOME_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$HOME_DIR/$name.pid"
}

start() {
  if ready; then echo "kube-api: already running on 127.0.0.1:$PORT"; return; fi
  install
  mkdir -p "$HOME_DIR"
  certificates
  start_process etcd "$BIN_DIR/etcd" --data-dir "$HOME_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 10))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 10))" \
    --initial-cluster "default=http://127.0.0.1:$((ETCD_PORT + 10))"
  local self=$CERTS/self.kubeconfig
  start_process apiserver "$BIN_DIR/apiextensions-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$PORT" --cert-dir "$CERTS/serving" --client-ca-file "$CERTS/ca.crt" \
    --kubeconfig "$self" --authentication-kubeconfig "$self" --authorization-kubeconfig "$self" --authentication-skip-lookup \
    --disable-admission-plugins NamespaceLifecycle,MutatingAdmissionPolicy,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook \
    --enable-priority-and-fairness=false
  for _ in $(seq 1 120); do
    if ready; then echo "kube-api: ready on https://127.0.0.1:$PORT"; return; fi
    for name in etcd apiserver; do
      if ! kill -0 "$(cat "$HOME_DIR/$name.pid")" 2>/dev/null; then echo "kube-api: $name exited during start:" >&2; tail -n 20 "$HOME_DIR/$name.log" >&2; stop >/dev/null; exit 1; fi
    done
    sleep 0.5
  done
  echo "kube-api: not ready after 60s (logs: $HOME_DIR/*.log)" >&2
  stop >/dev/null
  exit 1
}

stop() {
  for name in apiserver etcd; do
    [[ -f $HOME_DIR/$name.pid ]] || continue
    local pid; pid=$(cat "$HOME_DIR/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      [[ -r /proc/$pid/stat && $(cut -d' ' -f3 "/proc/$pid/stat") != Z ]] || break
      sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$HOME_DIR/$name.pid"
  done
  rm -rf "$HOME_DIR/etcd-data" # every start begins empty
  echo "kube-api: stopped"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) ready && echo "kube-api: ready" || { echo "kube-api: not running"; exit 1; } ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
