# One image for the CPU functions; FUNCTION_TARGET (set per Knative Service)
# selects the function: query, ingest, search, prompt, generate or index.
#   docker build -t ragnative/functions:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# onnxruntime-node's install script would download CUDA libraries: not here.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY shared shared
COPY functions functions
COPY milvus/index.json milvus/index.json
# JavaScript in dist/: a cold start loads it instead of compiling TypeScript
# (about half a second less per start; see BENCHMARKS.md).
RUN npm run build

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8080
COPY --from=dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY knative knative
# Non-root as uid 1000 (the image's node user; numeric, so that Kubernetes'
# runAsNonRoot can verify it). The root filesystem can be read-only; /tmp is an
# emptyDir in the Services.
USER 1000
EXPOSE 8080
ENTRYPOINT ["node", "dist/shared/runtime/serve-function.js"]
