# Sourced by `make test`: a real headless Chromium for the web companion's browser tests.
#
# Debian's chromium package (a test tool's own browser download cannot work here). As root on a Debian
# machine it is installed when missing; ADVISOR_TEST_CHROMIUM names the binary for the tests. Where there is
# none, the browser tests are skipped with the reason, except in CI (CI=true), where they fail instead.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing Debian's chromium (once)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
        || echo "ensure-chromium: could not install chromium" >&2
fi
if command -v chromium >/dev/null 2>&1; then
    export ADVISOR_TEST_CHROMIUM="$(command -v chromium)"
    echo "ensure-chromium: browser tests use $("$ADVISOR_TEST_CHROMIUM" --version 2>/dev/null)"
fi
