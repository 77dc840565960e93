# Sourced by `make test`: axe-core (the accessibility engine the browser tests run in the real Chromium).
#
# The npm package, pinned, installed once beside the virtualenv; ADVISOR_TEST_AXE names its script. Where npm is
# missing it is installed from Debian's packages as root. Without it the axe checks are skipped with the reason,
# except in CI (CI=true), where they fail instead.
AXE_VERSION=4.11.0
AXE_DIR=.venv/node
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "ensure-axe: installing Debian's npm (once)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } \
            || echo "ensure-axe: could not install npm" >&2
    fi
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$AXE_DIR"
        npm install --silent --no-save --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null \
            || echo "ensure-axe: could not install axe-core $AXE_VERSION" >&2
    fi
fi
if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
    export ADVISOR_TEST_AXE="$PWD/$AXE_DIR/node_modules/axe-core/axe.min.js"
    echo "ensure-axe: accessibility checks use axe-core $AXE_VERSION"
fi
