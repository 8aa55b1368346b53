#!/usr/bin/env bash
# Applies a kustomize overlay with the image pinned by digest, then waits for the rollouts.
# Used by .github/workflows/cd.yml; needs only kubectl (its built-in kustomize) and a kubeconfig,
# given as KUBECONFIG_DATA (the environment's secret) or an existing KUBECONFIG.
# Usage: deploy/scripts/kustomize-deploy.sh <overlay dir> <image>@sha256:<digest> [--dry-run]
set -euo pipefail
overlay="$(cd "$1" && pwd)"
image="$2"
dry_run="${3:-}"
if [[ "$image" != *@sha256:* ]]; then
  echo "error: pin the image by digest (name@sha256:...), got '$image'" >&2
  exit 1
fi

work="$(mktemp -d)"
# Kustomize takes no absolute resource paths: the wrapper lives beside the overlay.
release="$(mktemp -d "$(dirname "$overlay")/.release.XXXXXX")"
trap 'rm -rf "$work" "$release"' EXIT
if [[ -n "${KUBECONFIG_DATA:-}" ]]; then
  printf '%s' "$KUBECONFIG_DATA" >"$work/kubeconfig"
  chmod 600 "$work/kubeconfig"
  export KUBECONFIG="$work/kubeconfig"
fi

# A throw-away kustomization on top of the overlay that swaps the overlay's image for the digest.
cat >"$release/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../$(basename "$overlay")
images:
  - name: ghcr.io/flightdeck/flightdeck
    newName: ${image%@*}
    digest: ${image#*@}
YAML
kubectl kustomize "$release" >"$work/rendered.yaml"
deployments=(flightdeck-api flightdeck-gateway flightdeck-worker flightdeck-worker-image)
if [[ "$(grep -c '^kind: Deployment$' "$work/rendered.yaml")" -ne "${#deployments[@]}" ]] ||
  [[ "$(grep -c "image: ${image}\$" "$work/rendered.yaml")" -ne "${#deployments[@]}" ]]; then
  echo "error: the ${#deployments[@]} Deployments do not all run ${image}" >&2
  exit 1
fi
if [[ "$dry_run" == --dry-run ]]; then
  cat "$work/rendered.yaml"
  exit 0
fi

kubectl apply --server-side --field-manager=flightdeck-cd -f "$work/rendered.yaml"
for deployment in "${deployments[@]}"; do
  kubectl -n flightdeck rollout status "deployment/$deployment" --timeout=10m
done
