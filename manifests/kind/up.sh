#!/usr/bin/env bash
# Brings up a kind cluster whose kube-apiserver authenticates bearer tokens
# through kube-oidc-webhook running inside the cluster, then proves it with
# `kubectl --token=... auth whoami`.
#
# Needs: docker (or another engine kind supports), kind, kubectl >= 1.28,
# openssl. Run from anywhere: manifests/kind/up.sh
# Tear down: kind delete cluster --name "${CLUSTER_NAME:-kube-oidc-webhook}"
#
# The "IdP" is the cluster's own service-account issuer: a token minted with
# `kubectl create token --audience kube-oidc-webhook-demo` is refused by
# kube-apiserver's built-in service-account authenticator (the audience is not
# its own) and reaches the webhook, which verifies it like any OIDC token
# (discovery, JWKS, claim mappings). For a real IdP, replace the
# AuthenticationConfiguration written below (see docs/guides/).
set -euo pipefail

CLUSTER_NAME="${CLUSTER_NAME:-kube-oidc-webhook}"
IMAGE="ghcr.io/kube-oidc-webhook/kube-oidc-webhook:dev"
NAMESPACE="kube-oidc-webhook"
SERVICE_DNS="kube-oidc-webhook.${NAMESPACE}.svc"
# Must match manifests/kind/service-clusterip.yaml.
SERVICE_IP="10.96.200.200"
# These two must match authentication-config.template.yaml.
DEMO_AUDIENCE="kube-oidc-webhook-demo"
USERNAME_PREFIX="kind-oidc:"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
# Outside manifests/ (kustomize refuses an overlay inside its base); kept
# while the cluster lives because the control-plane node mounts it.
work="${repo_root}/.kind-work"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in docker kind kubectl openssl; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required"
done

b64() { base64 <"$1" | tr -d '\n'; }

mkdir -p "${work}/apiserver"
chmod 700 "${work}"

# --- 1. TLS material -------------------------------------------------------
# One private CA signs the webhook's serving certificate and kube-apiserver's
# client certificate; the webhook trusts that CA for clients (--client-ca-file).
if [[ ! -f "${work}/ca.crt" ]]; then
  log "creating a CA, the serving certificate and kube-apiserver's client certificate"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 \
    -subj "/CN=kube-oidc-webhook-ca" \
    -keyout "${work}/ca.key" -out "${work}/ca.crt" 2>/dev/null

  cat >"${work}/serving.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${SERVICE_DNS}, DNS:${SERVICE_DNS}.cluster.local, IP:${SERVICE_IP}
EOF
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=${SERVICE_DNS}" \
    -keyout "${work}/tls.key" -out "${work}/serving.csr" 2>/dev/null
  openssl x509 -req -sha256 -days 365 -in "${work}/serving.csr" \
    -CA "${work}/ca.crt" -CAkey "${work}/ca.key" -CAcreateserial \
    -extfile "${work}/serving.ext" -out "${work}/tls.crt" 2>/dev/null

  cat >"${work}/client.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
EOF
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=kube-apiserver" \
    -keyout "${work}/client.key" -out "${work}/client.csr" 2>/dev/null
  openssl x509 -req -sha256 -days 365 -in "${work}/client.csr" \
    -CA "${work}/ca.crt" -CAkey "${work}/ca.key" -CAcreateserial \
    -extfile "${work}/client.ext" -out "${work}/client.crt" 2>/dev/null
  chmod 600 "${work}"/*.key
fi

# --- 2. The webhook kubeconfig kube-apiserver reads -------------------------
# Only this directory is mounted into the node: no private CA key there.
log "writing ${work}/apiserver/webhook-kubeconfig.yaml"
sed -e "s#KIND_CA_DATA#$(b64 "${work}/ca.crt")#" \
  -e "s#KIND_CLIENT_CERT_DATA#$(b64 "${work}/client.crt")#" \
  -e "s#KIND_CLIENT_KEY_DATA#$(b64 "${work}/client.key")#" \
  "${script_dir}/webhook-kubeconfig.template.yaml" >"${work}/apiserver/webhook-kubeconfig.yaml"
chmod 644 "${work}/apiserver/webhook-kubeconfig.yaml"

# --- 3. The cluster -----------------------------------------------------------
if kind get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
  log "kind cluster ${CLUSTER_NAME} exists; reusing it"
else
  log "creating kind cluster ${CLUSTER_NAME}"
  sed -e "s#KIND_WEBHOOK_DIR#${work}/apiserver#" -e "s#^name: .*#name: ${CLUSTER_NAME}#" \
    "${script_dir}/cluster.yaml" >"${work}/cluster.yaml"
  kind_args=(create cluster --name "${CLUSTER_NAME}" --config "${work}/cluster.yaml" --wait 120s)
  if [[ -n "${KIND_NODE_IMAGE:-}" ]]; then
    kind_args+=(--image "${KIND_NODE_IMAGE}")
  fi
  kind "${kind_args[@]}"
fi
kubectl config use-context "kind-${CLUSTER_NAME}" >/dev/null

node="${CLUSTER_NAME}-control-plane"
if ! docker exec "${node}" grep -q -- '--authentication-token-webhook-config-file=' \
  /etc/kubernetes/manifests/kube-apiserver.yaml; then
  die "kube-apiserver was started without --authentication-token-webhook-config-file; check the kubeadmConfigPatches in ${script_dir}/cluster.yaml against the kubeadm config version your kind release generates"
fi

# --- 4. The image -------------------------------------------------------------
log "building ${IMAGE}"
docker build -t "${IMAGE}" "${repo_root}"
kind load docker-image "${IMAGE}" --name "${CLUSTER_NAME}"

# --- 5. The webhook's configuration -----------------------------------------
# The issuer is kube-apiserver's own service-account issuer; the webhook must
# trust the cluster CA to fetch its discovery document and JWKS.
issuer="$(kubectl get --raw /.well-known/openid-configuration |
  sed -n 's/.*"issuer":"\([^"]*\)".*/\1/p')"
[[ -n "${issuer}" ]] || die "could not read the service-account issuer from /.well-known/openid-configuration"
kubectl -n kube-system get configmap kube-root-ca.crt -o 'jsonpath={.data.ca\.crt}' >"${work}/cluster-ca.crt"

log "writing the AuthenticationConfiguration for issuer ${issuer}"
awk -v issuer="${issuer}" -v ca_file="${work}/cluster-ca.crt" '
  /^ *KIND_CLUSTER_CA$/ {
    indent = $0; sub(/KIND_CLUSTER_CA$/, "", indent)
    while ((getline line < ca_file) > 0) if (line != "") print indent line
    next
  }
  { gsub(/KIND_ISSUER_URL/, issuer); print }
' "${script_dir}/authentication-config.template.yaml" >"${work}/authentication-config.yaml"

cat >"${work}/kustomization.yaml" <<'EOF'
# Generated by manifests/kind/up.sh
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../manifests
components:
- ../manifests/kind
secretGenerator:
- name: kube-oidc-webhook-tls
  namespace: kube-oidc-webhook
  files:
  - tls.crt
  - tls.key
  - ca.crt
  options:
    disableNameSuffixHash: true
configMapGenerator:
- name: kube-oidc-webhook-config
  namespace: kube-oidc-webhook
  behavior: replace
  files:
  - authentication-config.yaml
EOF

# --- 6. Deploy ------------------------------------------------------------------
log "deploying"
kubectl apply -k "${work}"
kubectl -n "${NAMESPACE}" rollout restart deployment/kube-oidc-webhook >/dev/null
kubectl -n "${NAMESPACE}" rollout status deployment/kube-oidc-webhook --timeout=180s

# --- 7. Prove it ------------------------------------------------------------------
log "minting a token for ServiceAccount default/kube-oidc-webhook-demo (audience ${DEMO_AUDIENCE})"
kubectl -n default create serviceaccount kube-oidc-webhook-demo --dry-run=client -o yaml | kubectl apply -f - >/dev/null
token="$(kubectl -n default create token kube-oidc-webhook-demo --audience "${DEMO_AUDIENCE}" --duration 10m)"

# A kubeconfig with the token only: kind's admin client certificate would
# otherwise authenticate the request before the token is looked at.
server="$(kubectl config view --minify --raw -o 'jsonpath={.clusters[0].cluster.server}')"
ca_data="$(kubectl config view --minify --raw -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}')"
token_kubeconfig="${work}/token-kubeconfig.yaml"
(
  umask 077
  cat >"${token_kubeconfig}" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kind
  cluster:
    server: ${server}
    certificate-authority-data: ${ca_data}
users:
- name: oidc
  user: {}
contexts:
- name: oidc
  context:
    cluster: kind
    user: oidc
current-context: oidc
EOF
)

want="${USERNAME_PREFIX}system:serviceaccount:default:kube-oidc-webhook-demo"
log "kubectl --token=<token> auth whoami"
# The first reviews may race the webhook's first discovery fetch; retry briefly.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if whoami="$(kubectl --kubeconfig "${token_kubeconfig}" --token="${token}" auth whoami 2>&1)" &&
    grep -q -- "${want}" <<<"${whoami}"; then
    printf '%s\n' "${whoami}"
    log "authenticated by kube-oidc-webhook as ${want}"
    exit 0
  fi
  sleep "${attempt}"
done
printf '%s\n' "${whoami:-}" >&2
kubectl -n "${NAMESPACE}" logs deployment/kube-oidc-webhook --tail=50 >&2 || true
die "the token was not authenticated as ${want}"
