#!/usr/bin/env bash
# The browser DashboardIT drives: Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).
# Run by `mvn verify` before the integration tests (pre-integration-test), so that the README's test command needs
# nothing installed by hand on a fresh Debian/Ubuntu machine. Installs with apt-get when missing, as root or through
# passwordless sudo; otherwise it says what to install and leaves the failure to DashboardIT, which never skips.
set -uo pipefail
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && exit 0
SUDO=()
((EUID == 0)) || SUDO=(sudo -n)
install() {
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver
}
if command -v apt-get >/dev/null && { ((EUID == 0)) || sudo -n true 2>/dev/null; }; then
    echo "install-browser: installing chromium and chromium-driver (apt-get) for DashboardIT"
    install || { "${SUDO[@]}" apt-get update -q && install; } ||
        echo "install-browser: apt-get failed; DashboardIT will fail" >&2
else
    echo "install-browser: /usr/bin/chromium or /usr/bin/chromedriver missing and no root or sudo to install them:" \
        "install the packages chromium and chromium-driver, or DashboardIT will fail" >&2
fi
exit 0
