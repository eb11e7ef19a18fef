# Sourced by the build scripts: the cache outside the repo, and building binaries from the pinned wrapper
# modules under toolchain/ (one module per upstream, its version read from that module's go.mod).
# Sets: root (the repository), cache (${CNCFDEMO_CACHE:-~/.cache/cncfdemo}).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${CNCFDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cncfdemo}

# require_go WHAT -> exits 3 with a hint when the Go toolchain is missing; pins the build settings otherwise.
require_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "error: the Go toolchain is needed to build $1; install Go >= 1.25 (https://go.dev/doc/install) and retry" >&2
    exit 3
  fi
  export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly
}

# pinned_version MODULE_DIR MODULE_PATH -> the version that wrapper module requires
pinned_version() {
  (cd "$1" && go list -m -f '{{.Version}}' "$2")
}

# build_set NAME VERSION MODULE_DIR LDFLAGS BINARY=PACKAGE... -> prints $cache/bin/NAME-VERSION, building the
# binaries missing there first.
build_set() {
  local name=$1 version=$2 dir=$3 ldflags=$4; shift 4
  local out="$cache/bin/$name-$version"
  local missing=() spec
  for spec in "$@"; do [ -x "$out/${spec%%=*}" ] || missing+=("$spec"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "building $name $version (first time only; this takes a while) ..." >&2
    local started=$SECONDS
    mkdir -p "$out"
    for spec in "${missing[@]}"; do
      # Build beside the target, then rename: an interrupted build never leaves a half-written binary.
      (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out/.${spec%%=*}.partial" "${spec#*=}")
      mv -f "$out/.${spec%%=*}.partial" "$out/${spec%%=*}"
    done
    echo "built $name $version in $((SECONDS - started))s" >&2
  fi
  echo "$out"
}
