"""Runs the Milvus standalone server shipped in the PyPI `milvus` package.

Used by scripts/milvus-local.sh instead of the package's `milvus-server` CLI for
two reasons, both reproduced here:
- the CLI probes its ports without SO_REUSEADDR, so a restart within a minute of
  the last client connection (sockets in TIME_WAIT) fails to bind 19530 or moves
  the health port away from 9091; Milvus' own listeners use SO_REUSEADDR;
- the CLI stops the server with SIGKILL one second after SIGTERM, leaving stale
  sessions in etcd that keep Milvus unhealthy after a restart; here the server's
  pid is recorded so that milvus-local.sh stops it with SIGTERM and lets it finish.

Usage: python milvus-server.py DATA_DIR PORTS_FILE PORT
"""
import json
import socket
import sys

import milvus

COMPONENTS = ("rootCoord", "proxy", "queryCoord", "queryNode", "indexNode", "dataCoord", "dataNode")


def try_bind_port(self, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        return sock
    except OSError:
        sock.close()
        return None


def main(data_dir, ports_file, port):
    milvus.MilvusServerConfig.try_bind_port = try_bind_port
    server = milvus.default_server
    server.set_base_dir(data_dir)
    server.config.set("proxy_port", port)
    server.config.set("common.gracefulStopTimeout", 5)
    # A read with Strong consistency waits for the next time tick (200 ms by default);
    # the index step makes several per batch. 50 ms halved upload-to-searchable
    # locally (npm run bench -- --quick: p50 1145 -> 501 ms). A production Milvus keeps its default.
    server.config.set("proxy.timeTickInterval", 50)
    for component in COMPONENTS:
        server.config.set(f"{component}.ip", "127.0.0.1")

    server.start()  # returns once /healthz answers OK
    with open(ports_file, "w", encoding="utf-8") as out:
        json.dump({"proxy": port, "health": server.webservice_port, "pid": server.server_proc.pid}, out)
    print(f"milvus {milvus.__version__} ready: 127.0.0.1:{port}, health on {server.webservice_port}", flush=True)
    server.server_proc.wait()
    sys.exit(server.server_proc.returncode or 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
