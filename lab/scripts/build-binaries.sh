#!/usr/bin/env bash
# Builds the scaling lab's upstream binaries from their own Go modules at pinned versions, and caches
# them in $FLIGHTDECK_CACHE/lab/bin (a `.NAME.version` stamp beside each): kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl (k8s.io/kubernetes), etcd, kwok, the KEDA
# operator and metrics adapter, and Prometheus. A binary whose stamp names its pinned version is
# kept; the rest are built. Cold: ~40 min on 2 cores (the Go build cache grows ~7 GB, the module
# cache ~4 GB); with the Go build cache warm, about a minute. See ../../docs/scaling-lab.md.
set -euo pipefail
FLIGHTDECK_LOG_TAG=lab-build
# shellcheck source-path=SCRIPTDIR/../../scripts
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

BIN="$LAB_CACHE/bin"
SRC="$LAB_CACHE/src"
mkdir -p "$BIN" "$SRC"
MISSING_HINT="the lab builds Kubernetes, KEDA, kwok, etcd and Prometheus from their Go modules" ensure_go_on_path "the lab's binaries"
# The machine's toolchain only (no toolchain downloads); modules resolved as the wrapper go.mod says.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

current() { # current NAME VERSION: the cached binary is there and was built at VERSION
  [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.$1.version" 2>/dev/null)" = "$2" ]
}
stamp() { # stamp VERSION NAME…
  local version=$1 name
  shift
  for name in "$@"; do echo "$version" >"$BIN/.$name.version"; done
}
# module_build DIR GO_MOD TOOLS_IMPORTS… : writes a wrapper module (the upstream root modules carry
# `replace ./…` lines that a module download cannot satisfy) and tidies it.
wrapper_module() {
  local dir=$1 gomod=$2
  shift 2
  mkdir -p "$dir"
  printf '%s\n' "$gomod" >"$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for pkg in "$@"; do printf '\t_ "%s"\n' "$pkg"; done
    printf ')\n'
  } >"$dir/tools.go"
  (cd "$dir" && run_quietly nice -n 10 go mod tidy)
}
timed() {
  local what=$1 t0=$SECONDS
  shift
  log "building $what"
  "$@"
  log "built $what in $((SECONDS - t0))s"
}

k8s_cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
build_kubernetes() {
  local dir="$SRC/kubernetes" upstream staging
  mkdir -p "$dir"
  # Every k8s.io/<staging> module at v0.<minor>.<patch> instead of upstream's ./staging/… paths.
  upstream="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')"
  staging="$(sed -n '/^replace/,$p' "$upstream" | grep -o 'k8s.io/[a-z0-9-]*' | sort -u | while read -r module; do
    version="v0.${K8S_VERSION#1.}"
    # Not served at the patch version; never compiled into the binaries we build.
    [ "$module" = k8s.io/sample-cli-plugin ] && version=v0.36.1
    printf '\t%s => %s %s\n' "$module" "$module" "$version"
  done)"
  wrapper_module "$dir" "module flightdeck.lab/kubernetes

go 1.26.0

godebug default=go1.26

require k8s.io/kubernetes v$K8S_VERSION

replace (
$staging
)" "${k8s_cmds[@]/#/k8s.io/kubernetes/cmd/}"
  local minor="${K8S_VERSION#1.}"
  minor="${minor%%.*}"
  (cd "$dir" && run_quietly nice -n 10 go build -trimpath -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
    -o "$BIN/" "${k8s_cmds[@]/#/k8s.io/kubernetes/cmd/}")
  stamp "$K8S_VERSION" "${k8s_cmds[@]}"
}

build_etcd() {
  local dir="$SRC/etcd"
  mkdir -p "$dir"
  printf 'module flightdeck.lab/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" >"$dir/go.mod"
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >"$dir/main.go"
  (cd "$dir" && run_quietly nice -n 10 go mod tidy && run_quietly nice -n 10 go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" .)
  stamp "$ETCD_VERSION" etcd
}

build_kwok() {
  local dir="$SRC/kwok"
  wrapper_module "$dir" "module flightdeck.lab/kwok

go 1.26.0

require sigs.k8s.io/kwok v$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
  (cd "$dir" && run_quietly nice -n 10 go build -trimpath -ldflags "-s -w" -o "$BIN/kwok" sigs.k8s.io/kwok/cmd/kwok)
  stamp "$KWOK_VERSION" kwok
}

build_keda() {
  local dir="$SRC/keda"
  # KEDA's own replace and exclude lines, which its go.mod needs to resolve.
  wrapper_module "$dir" "module flightdeck.lab/keda

go 1.26.0

require github.com/kedacore/keda/v2 v$KEDA_VERSION

replace github.com/nexus-rpc/nexus-proto-annotations v0.1.0 => github.com/nexus-rpc/nexus-proto-annotations v0.1.1-0.20260629224316-835bd8d49cb4

exclude github.com/go-chi/chi/v5 v5.2.3" github.com/kedacore/keda/v2/cmd/operator github.com/kedacore/keda/v2/cmd/adapter
  (cd "$dir" &&
    run_quietly nice -n 10 go build -trimpath -ldflags "-s -w" -o "$BIN/keda-operator" github.com/kedacore/keda/v2/cmd/operator &&
    run_quietly nice -n 10 go build -trimpath -ldflags "-s -w" -o "$BIN/keda-adapter" github.com/kedacore/keda/v2/cmd/adapter)
  stamp "$KEDA_VERSION" keda-operator keda-adapter
}

build_prometheus() {
  local dir="$SRC/prometheus"
  wrapper_module "$dir" "module flightdeck.lab/prometheus

go 1.26.0

require github.com/prometheus/prometheus v$PROMETHEUS_MODULE_VERSION" github.com/prometheus/prometheus/cmd/prometheus
  (cd "$dir" && run_quietly nice -n 10 go build -trimpath -ldflags "-s -w" -o "$BIN/prometheus" github.com/prometheus/prometheus/cmd/prometheus)
  stamp "$PROMETHEUS_MODULE_VERSION" prometheus
}

started=$SECONDS
all_current=1
for cmd in "${k8s_cmds[@]}"; do current "$cmd" "$K8S_VERSION" || all_current=""; done
[ -n "$all_current" ] || timed "Kubernetes v$K8S_VERSION (${k8s_cmds[*]})" build_kubernetes
current etcd "$ETCD_VERSION" || timed "etcd v$ETCD_VERSION" build_etcd
current kwok "$KWOK_VERSION" || timed "kwok v$KWOK_VERSION" build_kwok
{ current keda-operator "$KEDA_VERSION" && current keda-adapter "$KEDA_VERSION"; } || timed "KEDA v$KEDA_VERSION" build_keda
current prometheus "$PROMETHEUS_MODULE_VERSION" || timed "Prometheus (module v$PROMETHEUS_MODULE_VERSION)" build_prometheus
log "binaries ready in $BIN ($((SECONDS - started))s)"
