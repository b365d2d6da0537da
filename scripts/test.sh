#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine (as root): installs what the
# tests need (Dovecot for the IMAP tests; aiosmtpd comes with the test extra),
# installs mailbot itself into .venv (a plain install, as users get it), runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dovecot >/dev/null 2>&1; then
    echo "installing dovecot-imapd (the IMAP server the integration tests start)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "installing systemd (systemd-analyze verifies contrib/mailbot.service)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi
# The package starts a system-wide Dovecot on port 143; the tests run their own.
systemctl disable --now dovecot >/dev/null 2>&1 || service dovecot stop >/dev/null 2>&1 || true

# The review console's browser tests drive Debian's Chromium with Playwright
# (never `playwright install`: no browser is downloaded).
if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium (the browser the review console's tests drive)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q ".[test]"
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
