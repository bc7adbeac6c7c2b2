#!/usr/bin/env bash
# Usage: scripts/milvus-local.sh install|start|stop|status
#   install  Milvus standalone from PyPI (`milvus`, the embedded Milvus server:
#            the real Go coordinators and C++ engine, with embedded etcd,
#            local storage and rocksmq) into .local/milvus/venv
#   start    install if needed, start on 127.0.0.1:19530 (health on :9091),
#            data in .local/milvus/data, and wait until it serves a search
#   stop     stop the server this script started (SIGINT to its process group)
#   status   exit 0 when a Milvus answers on 127.0.0.1:9091/healthz
# Environment: MILVUS_HOME (default .local/milvus), MILVUS_START_TIMEOUT (s, default 180),
#              DRY_RUN=1 prints the commands instead of running them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOME_DIR=${MILVUS_HOME:-$ROOT/.local/milvus}
VERSION=2.3.5 # the newest `milvus` wheel PyPI serves for Python 3.11 here (2.3.9 has none)
VENV=$HOME_DIR/venv
PID_FILE=$HOME_DIR/milvus.pid
LOG_FILE=$HOME_DIR/milvus.log
PORTS_FILE=$HOME_DIR/ports.json
TIMEOUT=${MILVUS_START_TIMEOUT:-180}

run() {
  if [[ ${DRY_RUN:-0} == 1 ]]; then echo "$*"; else "$@"; fi
}

# The health port is 9091 unless that was taken; the launcher records the one it got.
health_port() { sed -n 's/.*"health": *\([0-9]*\).*/\1/p' "$PORTS_FILE" 2>/dev/null || true; }
healthy() { curl -sf --max-time 2 "http://127.0.0.1:$(health_port | grep . || echo 9091)/healthz" >/dev/null 2>&1; }

install() {
  if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c "import milvus" 2>/dev/null; then return; fi
  run mkdir -p "$HOME_DIR"
  run python3 -m venv "$VENV"
  run "$VENV/bin/pip" install --quiet --disable-pip-version-check "milvus==$VERSION"
}

start() {
  if healthy; then echo "milvus: already running at 127.0.0.1:19530"; return; fi
  install
  local launch=("$VENV/bin/python" "$ROOT/scripts/milvus-server.py" "$HOME_DIR/data" "$PORTS_FILE")
  if [[ ${DRY_RUN:-0} == 1 ]]; then echo "setsid ${launch[*]}"; return; fi
  mkdir -p "$HOME_DIR/data"
  rm -f "$PORTS_FILE"
  # Its own session, so it outlives this script and stop can reach the server binary too.
  setsid "${launch[@]}" >"$LOG_FILE" 2>&1 < /dev/null &
  echo $! >"$PID_FILE"
  local waited=0
  until [[ -s $PORTS_FILE ]] && healthy; do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "milvus: exited during start; last log lines:" >&2; tail -n 20 "$LOG_FILE" >&2; exit 1
    fi
    if (( waited >= TIMEOUT )); then echo "milvus: not healthy after ${TIMEOUT}s (log: $LOG_FILE)" >&2; exit 1; fi
    sleep 1; waited=$((waited + 1))
  done
  echo "milvus: healthy at 127.0.0.1:19530 after ${waited}s (log: $LOG_FILE)"
  # Healthy is not yet usable after a restart: probe create, index, load, upsert, search.
  (cd "$ROOT" && node --import tsx scripts/milvus-ready.ts "$TIMEOUT")
}

# Running, and not a zombie left behind for a parent that does not reap.
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat") != Z ]]; }
server_pid() { sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$PORTS_FILE" 2>/dev/null || true; }

stop() {
  [[ -f $PID_FILE ]] || { echo "milvus: not started by this script"; return; }
  local launcher server
  launcher=$(cat "$PID_FILE")
  server=$(server_pid)
  # SIGTERM to the server binary itself: it deregisters its sessions and exits in seconds.
  if [[ -n $server ]] && alive "$server"; then
    run kill -TERM "$server"
    for _ in $(seq 1 60); do alive "$server" || break; sleep 0.5; done
  fi
  if alive "$launcher" || { [[ -n $server ]] && alive "$server"; }; then
    run kill -KILL -- "-$launcher" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORTS_FILE"
  echo "milvus: stopped"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) healthy && echo "milvus: healthy" || { echo "milvus: not running"; exit 1; } ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
