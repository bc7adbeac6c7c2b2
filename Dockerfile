# One image for the CPU functions; FUNCTION_TARGET (set per Knative Service)
# selects the function: query, ingest, search, prompt, generate or index.
#   docker build -t ragnative/functions:0.1.0 .
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /app
# onnxruntime-node's install script would download CUDA libraries: not here.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-functions.ts scripts/build-functions.ts
COPY shared shared
COPY functions functions
COPY milvus/index.json milvus/index.json
# Bundled JavaScript in dist/: a cold start reads a few files instead of
# compiling TypeScript and resolving hundreds of modules (see BENCHMARKS.md).
RUN npm run build

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS dependencies
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
WORKDIR /app
# Listen on every interface (the code defaults to loopback); /metrics on METRICS_PORT 9090.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 METRICS_PORT=9090
COPY --from=dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY knative knative
# Non-root as uid 1000 (the image's node user; numeric, so that Kubernetes'
# runAsNonRoot can verify it). The root filesystem can be read-only; /tmp is an
# emptyDir in the Services.
USER 1000
EXPOSE 8080
ENTRYPOINT ["node", "dist/serve-function.js"]
