#!/usr/bin/env bash
# Installs everything cncfdemo needs on this machine, idempotently: Debian packages (when root and missing),
# npm dependencies, the TypeScript build, and the local cluster's binaries (downloaded or built; cached outside
# the repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages used by the local cluster, benchmarks and tests.
apt_packages=(prometheus prometheus-pushgateway wrk chromium conntrack socat iproute2 cloud-init systemd)
# For tests: building container images from Debian packages (mmdebstrap, umoci; gcc for the pause image),
# serving them on loopback (docker-registry) and pulling and running them (containerd, runc). The simulated
# cluster of `npm run demo` needs none of them.
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ]; then
  apt_packages+=(mmdebstrap umoci gcc libc6-dev docker-registry containerd runc busybox-static
    containernetworking-plugins iptables openssl)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "warning: missing packages (${missing[*]}); install them with your package manager" >&2
  fi
fi

# Python packages in one venv of cncfdemo's own (the system's Python stays untouched), pinned exactly:
# moto for the AWS API emulator the tests run against, and Jinja2 itself, the reference the template engine's
# compatibility tests compare against (test/jinja-reference.py). Re-run, it installs only when the list changed.
venv="${CNCFDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cncfdemo}/venv"
python_packages=('moto[server]==5.2.1' 'jinja2==3.1.6')
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  if [ "$(cat "$venv/.cncfdemo-packages" 2>/dev/null)" != "${python_packages[*]}" ]; then
    "$venv/bin/python" -m pip install --quiet "${python_packages[@]}" >&2
    echo "${python_packages[*]}" >"$venv/.cncfdemo-packages"
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
else
  npm run --silent build >&2
fi

# The local cluster's binaries (with the test set-up also the real node's, k6 and promtool), into the cache:
# each set downloaded from its pinned official release and checked against data/releases.yaml, else built
# from the pinned Go modules under toolchain/ (always with CNCFDEMO_BUILD_FROM_SOURCE=1). One line per binary.
# k6 is otherwise installed when `benchmark --rate` first needs it; promtool only the tests use.
install_args=()
[ -n "${CNCFDEMO_SETUP_TEST:-}" ] && install_args+=(--node --k6 --promtool)
node_modules/.bin/tsx scripts/install-binaries.ts "${install_args[@]}"
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ]; then
  # Container images for the real node's tests (cached; one line per image on stderr). Building needs root.
  if [ "$(id -u)" = 0 ]; then
    bash scripts/build-images.sh >/dev/null
  else
    echo "warning: not root: the container images are not built (run bash scripts/build-images.sh as root)" >&2
  fi
fi
