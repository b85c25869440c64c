#!/usr/bin/env bash
# Installs what nbprov's build and tests need on a fresh Debian machine: npm packages from the
# lockfile, from Debian a real Jupyter stack (kernel tests) and the scikit-learn example notebooks,
# and for the browser tests Debian's Chromium. With --editor (the test command) also code-server, a
# real VS Code for the end-to-end tests, built here from npm with libkrb5-dev, ripgrep and a C++
# toolchain and cached outside the repository; the demo and the bench do not need it.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBS=(python3-ipykernel python3-prov python3-jupyter-server python3-pandas python3-numpy python3-sklearn python3-matplotlib python-sklearn-doc
  chromium libkrb5-dev ripgrep make g++ python3 fonts-dejavu-core)
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A node_modules that is a link is a shared install kept by whoever made the link: `npm ci` would
# empty the folder it points to, so it is left alone.
if [ ! -L node_modules ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; }; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = --editor ]; then
  bash scripts/e2e/install-code-server.sh >/dev/null
fi
