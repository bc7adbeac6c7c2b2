#!/usr/bin/env bash
# Usage: scripts/kn/gpu-revision.sh <revision-suffix> <image>
# Creates a GPU revision of embed-gpu: one nvidia.com/gpu, the CUDA execution
# provider, large batches, and the settings scale-from-zero needs on a GPU node
# (initial scale 1, 10 min scale-down delay, 15 min progress deadline).
# Example: scripts/kn/gpu-revision.sh v2 registry.example.com/ragnative/embed-gpu:0.2.0
source "$(dirname "$0")/lib.sh"
require 2 "$@"
run kn service update embed-gpu -n "$NAMESPACE" --revision-name "embed-gpu-$1" --image "$2" \
  --limit nvidia.com/gpu=1 --env EMBED_DEVICE=cuda --env EMBED_BATCH_SIZE=128 \
  --scale-min 0 --scale-init 1 \
  --annotation-revision autoscaling.knative.dev/scale-down-delay=10m \
  --annotation-revision serving.knative.dev/progress-deadline=900s
