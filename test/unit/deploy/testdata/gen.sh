#!/usr/bin/env bash
# Regenerates testdata/kind-ca.pem: a stand-in for a kind cluster's CA, used to
# render manifests/kind/authentication-config.template.yaml in tests. Only the
# certificate is kept (nothing signs with it).
set -euo pipefail
cd "$(dirname "$0")"
key="$(mktemp)"
trap 'rm -f "${key}"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 36500 \
  -subj "/CN=kind-test-ca" -keyout "${key}" -out kind-ca.pem 2>/dev/null
