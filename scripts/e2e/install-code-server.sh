#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 served to a browser) for the end-to-end tests into a
# cache folder outside the repository, without its npm post-install (which downloads from GitHub):
# the native modules are rebuilt against the machine's Node and Debian's ripgrep stands in for the
# downloaded one. A marker written last makes later runs skip straight to the cached copy; an
# install that was cut short is started again from nothing. Prints the install folder on stdout.
# Needs Debian's libkrb5-dev, ripgrep, python3, make and g++ (scripts/setup.sh installs them).
set -euo pipefail
# Run from an npm script, the environment names the project as npm's local prefix: the installs
# below belong to the cache folder, not to the project.
unset npm_config_local_prefix
VERSION=4.100.3
CACHE="${NBPROV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nbprov}"
DEST="$CACHE/code-server-$VERSION"
MARKER="$DEST/.nbprov-install-complete"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"

if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then echo "$DEST"; exit 0; fi

mkdir -p "$CACHE"
# Two test runs starting at once: the second waits for the first one's install.
exec 9>"$CACHE/code-server-$VERSION.lock"
flock 9
if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then echo "$DEST"; exit 0; fi

for tool in rg make g++ python3; do
  command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' is missing; run 'bash scripts/setup.sh' first" >&2; exit 1; }
done
[ -f /usr/include/krb5.h ] || [ -f /usr/include/gssapi/gssapi.h ] || { echo "install-code-server: libkrb5-dev is missing; run 'bash scripts/setup.sh' first" >&2; exit 1; }

started=$(date +%s)
echo "install-code-server: installing code-server $VERSION into $DEST (first run only, a few minutes)" >&2
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
NPM_QUIET=(--no-audit --no-fund --loglevel=error)
{
  printf '{ "name": "nbprov-e2e-code-server", "private": true }\n' > package.json
  npm install --ignore-scripts "${NPM_QUIET[@]}" "code-server@$VERSION"

  VS="$DEST/node_modules/code-server/lib/vscode"
  cd "$VS"
  npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}"
  # node-pty's post-install runs `npx node-gyp`, which would stop to ask without npm_config_yes.
  npm_config_yes=true npm rebuild --foreground-scripts "${NPM_QUIET[@]}" \
    kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg

  # What code-server's own post-install would do.
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}" && node ./postinstall.mjs)

  # argon2 is hoisted to the top folder; rebuilding it from inside code-server/ does nothing.
  cd "$DEST"
  npm rebuild "${NPM_QUIET[@]}" argon2
} >&2

# code-server writes a config (with a password) under XDG_CONFIG_HOME: keep it out of $HOME.
scratch=$(mktemp -d)
got=$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" node "$ENTRY" --version 2>/dev/null | grep -o "^$VERSION .*" || true)
rm -rf "$scratch"
[ -n "$got" ] || { echo "install-code-server: the installed code-server does not report version $VERSION; see the npm output above" >&2; exit 1; }
echo "$VERSION installed in $(( $(date +%s) - started )) s" > "$MARKER"
echo "install-code-server: done in $(( $(date +%s) - started )) s" >&2
echo "$DEST"
