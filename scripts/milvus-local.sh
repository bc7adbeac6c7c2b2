#!/usr/bin/env bash
# Usage: scripts/milvus-local.sh install|start|stop|status
#   install  the backend from PyPI into .local/<backend>/venv
#   start    install if needed, start it on 127.0.0.1, data in .local/<backend>/data,
#            and wait until it serves ragnative's create/index/load/upsert/search probe
#   stop     stop the server this script started
#   status   exit 0 when the backend answers on its port
# Backends (MILVUS_BACKEND):
#   lite        (default) Milvus Lite 3 (`milvus-lite`, by the Milvus contributors):
#               a gRPC server with BM25 full-text and hybrid search, HNSW, partition
#               keys; port 19530
#   standalone  the real Milvus 2.3 standalone server (`milvus`: Go coordinators and
#               C++ engine, embedded etcd, local storage, rocksmq); no keyword search;
#               port 19531, health on 9091
# Environment: MILVUS_PORT (the backend's port), MILVUS_START_TIMEOUT (s, default 180),
#              MILVUS_LITE_MEMTABLE_MEMORY_LIMIT_BYTES (lite: rows kept unsealed before a
#              flush, default 2 MiB here against the package's 128 MiB: every search and
#              query copies and filters the unsealed rows row by row; see milvus/README.md),
#              DRY_RUN=1 prints the commands instead of running them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BACKEND=${MILVUS_BACKEND:-lite}
TIMEOUT=${MILVUS_START_TIMEOUT:-180}
case $BACKEND in
  lite) HOME_DIR=$ROOT/.local/milvus-lite; PORT=${MILVUS_PORT:-19530}; PACKAGES=("milvus-lite==3.2.2" "pymilvus==3.0.2") ;;
  standalone) HOME_DIR=$ROOT/.local/milvus; PORT=${MILVUS_PORT:-19531}; PACKAGES=("milvus==2.3.5") ;; # the newest `milvus` wheel for Linux
  *) echo "MILVUS_BACKEND must be lite or standalone" >&2; exit 2 ;;
esac
VENV=$HOME_DIR/venv
export MILVUS_LITE_MEMTABLE_MEMORY_LIMIT_BYTES=${MILVUS_LITE_MEMTABLE_MEMORY_LIMIT_BYTES:-2097152}
PID_FILE=$HOME_DIR/server.pid
LOG_FILE=$HOME_DIR/server.log
PORTS_FILE=$HOME_DIR/ports.json # standalone: the launcher records its health port and server pid

run() {
  if [[ ${DRY_RUN:-0} == 1 ]]; then echo "$*"; else "$@"; fi
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
health_port() { sed -n 's/.*"health": *\([0-9]*\).*/\1/p' "$PORTS_FILE" 2>/dev/null || true; }
healthy() {
  if [[ $BACKEND == standalone ]]; then
    curl -sf --max-time 2 "http://127.0.0.1:$(health_port | grep . || echo 9091)/healthz" >/dev/null 2>&1
  else
    listening
  fi
}

install() {
  local module=milvus_lite; [[ $BACKEND == standalone ]] && module=milvus
  if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c "import $module" 2>/dev/null; then return; fi
  run mkdir -p "$HOME_DIR"
  run python3 -m venv "$VENV"
  run "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}"
}

launch_command() {
  if [[ $BACKEND == standalone ]]; then
    echo "$VENV/bin/python" "$ROOT/scripts/milvus-server.py" "$HOME_DIR/data" "$PORTS_FILE" "$PORT"
  else
    echo "$VENV/bin/milvus-lite" server --data-dir "$HOME_DIR/data" --host 127.0.0.1 --port "$PORT"
  fi
}

start() {
  if healthy; then echo "milvus ($BACKEND): already running at 127.0.0.1:$PORT"; return; fi
  install
  local launch
  read -r -a launch <<<"$(launch_command)"
  if [[ ${DRY_RUN:-0} == 1 ]]; then echo "setsid ${launch[*]}"; return; fi
  mkdir -p "$HOME_DIR/data"
  rm -f "$PORTS_FILE"
  # Its own session, so it outlives this script and stop can reach the server binary too.
  setsid "${launch[@]}" >"$LOG_FILE" 2>&1 < /dev/null &
  echo $! >"$PID_FILE"
  local waited=0
  until { [[ $BACKEND == lite ]] || [[ -s $PORTS_FILE ]]; } && healthy; do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "milvus ($BACKEND): exited during start; last log lines:" >&2; tail -n 20 "$LOG_FILE" >&2; exit 1
    fi
    if (( waited >= TIMEOUT )); then echo "milvus ($BACKEND): not healthy after ${TIMEOUT}s (log: $LOG_FILE)" >&2; exit 1; fi
    sleep 1; waited=$((waited + 1))
  done
  echo "milvus ($BACKEND): listening at 127.0.0.1:$PORT after ${waited}s (log: $LOG_FILE)"
  # Listening is not yet usable after a restart: probe create, index, load, upsert, search.
  (cd "$ROOT" && MILVUS_ADDRESS="127.0.0.1:$PORT" node --import tsx scripts/milvus-ready.ts "$TIMEOUT")
}

# Running, and not a zombie left behind for a parent that does not reap.
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat") != Z ]]; }
server_pid() { sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$PORTS_FILE" 2>/dev/null || true; }

stop() {
  [[ -f $PID_FILE ]] || { echo "milvus ($BACKEND): not started by this script"; return; }
  local launcher server
  launcher=$(cat "$PID_FILE")
  # Standalone: SIGTERM to the server binary itself deregisters its sessions in seconds.
  # Lite: SIGTERM to the server; its rows, flushed or not, survive it.
  server=$(server_pid); server=${server:-$launcher}
  if alive "$server"; then
    run kill -TERM "$server"
    for _ in $(seq 1 60); do alive "$server" || break; sleep 0.5; done
  fi
  if alive "$launcher" || alive "$server"; then
    run kill -KILL -- "-$launcher" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORTS_FILE"
  echo "milvus ($BACKEND): stopped"
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) healthy && echo "milvus ($BACKEND): running at 127.0.0.1:$PORT" || { echo "milvus ($BACKEND): not running"; exit 1; } ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
