# syntax=docker/dockerfile:1
#
# kube-oidc-webhook image: built with npm ci + tsc, shipped on distroless
# Node.js 20 as uid/gid 65532 with production dependencies only (the optional
# ones serve only the `dev` command and are pruned).
#
# Pin the bases by digest for reproducible, tamper-evident builds, e.g.
#   docker buildx imagetools inspect node:20-bookworm-slim   (copy "Digest:")
# and pass --build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:<digest>
# (likewise RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot@sha256:<digest>),
# or write the digests into the two ARG defaults below.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

# ---- build stage --------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NODE_ENV=development \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Dependencies first, so source edits reuse this layer.
COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --omit=optional \
 && npm cache clean --force

# ---- runtime stage --------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="kube-oidc-webhook" \
      org.opencontainers.image.description="Kubernetes TokenReview webhook for OIDC JWTs, configured with kube-apiserver's AuthenticationConfiguration" \
      org.opencontainers.image.source="https://github.com/kube-oidc-webhook/kube-oidc-webhook" \
      org.opencontainers.image.licenses="Apache-2.0"

WORKDIR /app
# Owned by root and not writable by the service user: the process cannot
# change its own code. Nothing is written at run time except to the mounted
# volumes (--key-cache-dir), so a read-only root filesystem works.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist

# No npm at run time; keep Node from writing caches or REPL history.
ENV NODE_ENV=production \
    NODE_REPL_HISTORY="" \
    NODE_DISABLE_COMPILE_CACHE=1

USER 65532:65532
EXPOSE 8443 8080
ENTRYPOINT ["/nodejs/bin/node", "dist/cli.js"]
CMD ["serve", \
     "--authentication-config", "/etc/kube-oidc-webhook/config/authentication-config.yaml", \
     "--tls-cert-file", "/etc/kube-oidc-webhook/tls/tls.crt", \
     "--tls-private-key-file", "/etc/kube-oidc-webhook/tls/tls.key"]
