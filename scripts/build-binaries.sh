#!/usr/bin/env bash
# Builds the local cluster's binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd, kwok, kwokctl, metrics-server) from the pinned wrapper modules under toolchain/, into a cache outside the repo.
# With --node, also what a real node runs: kubelet and kube-proxy (same Kubernetes module) and crictl.
# Each set is rebuilt only when missing. Prints the directories on stdout when done.
set -euo pipefail

node=""
for arg in "$@"; do
  case $arg in
    --node) node=1 ;;
    *) echo "usage: $0 [--node]" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"
require_go "the local cluster's binaries"

mkdir -p "$cache/bin"

k8s_dir=$root/toolchain/kubernetes
k8s=$(pinned_version "$k8s_dir" k8s.io/kubernetes)
minor=${k8s#v1.}; minor=${minor%%.*}
build_date=$(date -u -d "@$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)" +%Y-%m-%dT%H:%M:%SZ)
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $pkg.gitVersion=$k8s -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  stamp+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done
k8s_programs=(
  kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver
  kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager
  kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler kubectl=k8s.io/kubernetes/cmd/kubectl
)
[ -n "$node" ] && k8s_programs+=(kubelet=k8s.io/kubernetes/cmd/kubelet kube-proxy=k8s.io/kubernetes/cmd/kube-proxy)
build_set kubernetes "$k8s" "$k8s_dir" "-s -w$stamp" "${k8s_programs[@]}"

etcd_dir=$root/toolchain/etcd
etcd=$(pinned_version "$etcd_dir" go.etcd.io/etcd/server/v3)
build_set etcd "$etcd" "$etcd_dir" "-s -w" etcd=go.etcd.io/etcd/server/v3

kwok_dir=$root/toolchain/kwok
kwok=$(pinned_version "$kwok_dir" sigs.k8s.io/kwok)
build_set kwok "$kwok" "$kwok_dir" "-s -w" \
  kwok=sigs.k8s.io/kwok/cmd/kwok kwokctl=sigs.k8s.io/kwok/cmd/kwokctl
# kwok's own default stages (the pinned module's), beside its binaries: the local cluster adds a pod start
# delay to them when asked (kwokctl replaces all defaults as soon as any stage is configured).
stages="$cache/bin/kwok-$kwok/stages"
if [ ! -d "$stages" ]; then
  kwok_src=$(cd "$kwok_dir" && go mod download -json sigs.k8s.io/kwok | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$stages.partial"
  cp "$kwok_src"/kustomize/stage/node/fast/node-*.yaml "$kwok_src"/kustomize/stage/node/heartbeat-with-lease/node-*.yaml \
    "$kwok_src"/kustomize/stage/pod/fast/pod-*.yaml "$stages.partial/"
  chmod -R u+w "$stages.partial" && mv "$stages.partial" "$stages"
fi

ms_dir=$root/toolchain/metrics-server
ms=$(pinned_version "$ms_dir" sigs.k8s.io/metrics-server)
build_set metrics-server "$ms" "$ms_dir" "-s -w" metrics-server=sigs.k8s.io/metrics-server/cmd/metrics-server

if [ -n "$node" ]; then
  cri_dir=$root/toolchain/cri-tools
  cri=$(pinned_version "$cri_dir" sigs.k8s.io/cri-tools)
  build_set cri-tools "$cri" "$cri_dir" "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$cri" \
    crictl=sigs.k8s.io/cri-tools/cmd/crictl
fi
