#!/usr/bin/env bash
# Installs everything cncfdemo needs on this machine, idempotently: Debian packages (when root and missing),
# npm dependencies, the TypeScript build, and the local cluster's Go-built binaries (cached outside the repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages used by the local cluster, benchmarks and tests.
apt_packages=(prometheus prometheus-pushgateway wrk chromium conntrack socat iproute2 cloud-init systemd)
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
# moto for the AWS API emulator the tests run against. Re-run, it installs only when the list changed.
venv="${CNCFDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cncfdemo}/venv"
python_packages=('moto[server]==5.2.1')
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  if [ "$(cat "$venv/.cncfdemo-packages" 2>/dev/null)" != "${python_packages[*]}" ]; then
    "$venv/bin/python" -m pip install --quiet "${python_packages[@]}" >&2
    echo "${python_packages[*]}" >"$venv/.cncfdemo-packages"
  fi
fi
# Jinja2 itself, the reference the template engine's compatibility tests compare against (test/jinja-reference.py).
jinja_venv="${HOME}/.cache/cncfdemo/venv"
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ] && ! "$jinja_venv/bin/python" -c 'import jinja2' 2>/dev/null; then
  python3 -m venv "$jinja_venv" && "$jinja_venv/bin/pip" install --quiet 'jinja2==3.1.6' >&2
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
else
  npm run --silent build >&2
fi

bash scripts/build-binaries.sh >/dev/null
# k6 for the open-model benchmark (--rate), from the pinned module under toolchain/k6.
bash scripts/build-k6.sh >/dev/null
# promtool with Kubernetes service discovery (Debian's lacks it), to validate the stack's Prometheus config.
if [ -n "${CNCFDEMO_SETUP_TEST:-}" ]; then
  bash scripts/build-promtool.sh >/dev/null
fi
