# The scaling lab's pinned upstream versions and where their binaries are cached. Sourced, never run.
# shellcheck shell=bash disable=SC2034
K8S_VERSION=1.36.3            # k8s.io/kubernetes; staging modules at v0.36.3
ETCD_VERSION=3.7.3            # go.etcd.io/etcd/server/v3
KWOK_VERSION=0.8.0            # sigs.k8s.io/kwok
KEDA_VERSION=2.21.0           # github.com/kedacore/keda/v2 (2.21.1 needs Go 1.27)
PROMETHEUS_MODULE_VERSION=0.316.0 # github.com/prometheus/prometheus (Prometheus 3.16)
GATEWAY_API_VERSION=1.6.3     # sigs.k8s.io/gateway-api (CRDs only)
PROMETHEUS_OPERATOR_VERSION=0.88.0 # github.com/prometheus-operator/prometheus-operator (CRDs only)
LAB_CACHE="${FLIGHTDECK_CACHE:-$HOME/.cache/flightdeck}/lab"
