#!/usr/bin/env bash
# `npm run bench:setup`: installs what the Jupyter anchor (jupyter_bench.mjs) needs, the Debian packages of Jupyter
# Server and ipykernel for /usr/bin/python3.11. Idempotent: only missing packages are installed (apt-get update first).
# This is the apt part of the anchors' setup.sh; its `npm ci` is not needed (ws comes from this project) and the
# shared anchors folder is read-only.
set -euo pipefail

PKGS=(python3-jupyter-server jupyter-server python3-ipykernel python3-jupyter-client)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "already installed: ${PKGS[*]}"
fi

# Sanity: what jupyter_bench.mjs runs must work.
"${JUPYTER_SERVER_BIN:-/usr/bin/jupyter-server}" --version >/dev/null
"${JUPYTER_PYTHON:-/usr/bin/python3.11}" -c 'import jupyter_server, ipykernel, jupyter_client; print("jupyter_server", jupyter_server.__version__, "ipykernel", ipykernel.__version__, "jupyter_client", jupyter_client.__version__)'
