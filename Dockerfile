# syntax=docker/dockerfile:1
#
# Mailroom images. One build, one runtime stage, and a thin target per service that only says
# which bundle to start and on which port: every service image shares all layers but the last.
#
#   docker build --target gateway  -t mailroom/gateway:dev  .
#   docker build --target splitter -t mailroom/splitter:dev .
#   docker build --target sender   -t mailroom/sender:dev   .
#   docker build --target tracker  -t mailroom/tracker:dev  .
#   docker build --target feedback -t mailroom/feedback:dev .
#
# Without --target, docker builds the last stage (feedback): always name the target.
#
# `docker compose build` does all five (see docker-compose.yml). deploy/test/image.deploy-spec.ts
# checks this file against the build output, the lock file and the manifests.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim
# The lock file was written by npm 11 (see shared/docs/toolchain.md); Node 20 images ship npm 10.
ARG NPM_VERSION=11.19.1

# ---- production dependencies only (what the bundles require at run time) -----------------------
FROM ${NODE_IMAGE} AS prod-deps
ARG NPM_VERSION
WORKDIR /app
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}
COPY package.json package-lock.json ./
# No production dependency has an install script; --ignore-scripts keeps it that way.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- build: every dependency, then the five webpack bundles ----------------------------------------
FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
WORKDIR /app
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore lets in only the workspace config, libs/ and services/ (no tests, no dist).
COPY . .
RUN npm run build && test -f dist/services/gateway/main.js && test -f dist/services/splitter/main.js \
    && test -f dist/services/sender/main.js && test -f dist/services/tracker/main.js \
    && test -f dist/services/feedback/main.js

# ---- runtime: node, production node_modules, the bundles; read-only for the non-root user ----------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=build /app/dist/services ./dist/services
# uid/gid 1000 ("node" in the official images); the Kubernetes manifests run as the same ids.
USER 1000:1000
# SIGTERM: stop pulling, finish in-flight work (SHUTDOWN_TIMEOUT_MS), drain NATS, exit 0.
STOPSIGNAL SIGTERM
# Readiness, not liveness: "healthy" means connected to NATS with consumers bound, which is what
# `docker compose up --wait` should wait for. No curl in the image: Node's own fetch does it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/health/ready',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]

# ---- one target per service ------------------------------------------------------------------------
FROM runtime AS gateway
ENV HTTP_PORT=3000
EXPOSE 3000 50051
CMD ["node", "dist/services/gateway/main.js"]

FROM runtime AS splitter
ENV HTTP_PORT=3001
EXPOSE 3001
CMD ["node", "dist/services/splitter/main.js"]

FROM runtime AS sender
ENV HTTP_PORT=3002
EXPOSE 3002
CMD ["node", "dist/services/sender/main.js"]

FROM runtime AS tracker
ENV HTTP_PORT=3003
EXPOSE 3003
CMD ["node", "dist/services/tracker/main.js"]

# feedback: HTTP (health, metrics) on 3004 and the inbound SMTP server for BOUNCE_DOMAIN on 2525
# (FEEDBACK_SMTP_PORT; above 1024, so uid 1000 may bind it: map port 25 to it outside the image).
FROM runtime AS feedback
ENV HTTP_PORT=3004
EXPOSE 3004 2525
CMD ["node", "dist/services/feedback/main.js"]
