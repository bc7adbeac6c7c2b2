# One image for the CPU functions; FUNCTION_TARGET (set per Knative Service)
# selects the function: query, ingest, search, prompt, generate or index.
#   docker build -t ragnative/functions:0.1.0 .
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
# onnxruntime-node's install script would download CUDA libraries: not here.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8080
COPY --from=dependencies /app/node_modules node_modules
COPY package.json tsconfig.json ./
COPY shared shared
COPY functions functions
COPY milvus/index.json milvus/index.json
COPY knative knative
# Non-root as uid 1000 (the image's node user; numeric, so that Kubernetes'
# runAsNonRoot can verify it). The root filesystem can be read-only: tsx
# compiles into /tmp, which the Services mount as an emptyDir.
USER 1000
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "shared/runtime/serve-function.ts"]
