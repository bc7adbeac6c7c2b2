#!/usr/bin/env bash
# Usage: scripts/minio-local.sh install|start|stop|status
#   install  build the MinIO server from the Go module proxy into .local/minio/bin
#            (a few minutes the first time; Go's module cache makes later builds quick)
#   start    start it on 127.0.0.1:$MINIO_PORT with data in $MINIO_HOME/data, and wait
#   stop     stop the server this script started
#   status   exit 0 when MinIO answers its liveness probe
# Environment: MINIO_HOME (default .local/minio), MINIO_PORT (9000),
#   MINIO_ROOT_USER / MINIO_ROOT_PASSWORD (ragnative / ragnative-secret),
#   MINIO_WEBHOOK_ENDPOINT: when set, a webhook notification target named RAGNATIVE
#   (ARN arn:minio:sqs::RAGNATIVE:webhook) posting to it, with a queue_dir so that
#   events wait while the endpoint is down. DRY_RUN=1 prints commands instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN_DIR=$ROOT/.local/minio/bin
HOME_DIR=${MINIO_HOME:-$ROOT/.local/minio}
PORT=${MINIO_PORT:-9000}
# Pinned: the module proxy's latest MinIO when this was written (MinIO no longer tags Go releases).
VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
PID_FILE=$HOME_DIR/minio.pid

run() { if [[ ${DRY_RUN:-0} == 1 ]]; then echo "$*"; else "$@"; fi; }
live() { curl -sf --max-time 2 "http://127.0.0.1:$PORT/minio/health/live" >/dev/null 2>&1; }

install() {
  [[ -x $BIN_DIR/minio ]] && return
  run env GOBIN="$BIN_DIR" GOFLAGS=-mod=mod go install "github.com/minio/minio@$VERSION"
}

start() {
  if live; then echo "minio: already running on 127.0.0.1:$PORT"; return; fi
  install
  local env=(MINIO_ROOT_USER="${MINIO_ROOT_USER:-ragnative}" MINIO_ROOT_PASSWORD="${MINIO_ROOT_PASSWORD:-ragnative-secret}" MINIO_BROWSER=off)
  if [[ -n ${MINIO_WEBHOOK_ENDPOINT:-} ]]; then
    env+=(MINIO_NOTIFY_WEBHOOK_ENABLE_RAGNATIVE=on "MINIO_NOTIFY_WEBHOOK_ENDPOINT_RAGNATIVE=$MINIO_WEBHOOK_ENDPOINT" "MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_RAGNATIVE=$HOME_DIR/notify-queue")
  fi
  local cmd=(env "${env[@]}" "$BIN_DIR/minio" server "$HOME_DIR/data" --address "127.0.0.1:$PORT" --quiet)
  if [[ ${DRY_RUN:-0} == 1 ]]; then echo "setsid ${cmd[*]}"; return; fi
  mkdir -p "$HOME_DIR/data" "$HOME_DIR/notify-queue"
  setsid "${cmd[@]}" >"$HOME_DIR/minio.log" 2>&1 < /dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    if live; then echo "minio: ready on 127.0.0.1:$PORT"; return; fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then echo "minio: exited during start:" >&2; tail -n 20 "$HOME_DIR/minio.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "minio: not live after 30s (log: $HOME_DIR/minio.log)" >&2
  exit 1
}

stop() {
  [[ -f $PID_FILE ]] || { echo "minio: not started by this script"; return; }
  local pid; pid=$(cat "$PID_FILE")
  run kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    [[ -r /proc/$pid/stat && $(cut -d' ' -f3 "/proc/$pid/stat") != Z ]] || break
    sleep 0.25
  done
  run kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  echo "minio: stopped"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) live && echo "minio: live" || { echo "minio: not running"; exit 1; } ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
