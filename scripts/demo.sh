#!/usr/bin/env bash
# Install mailbot into .venv and run the demo on the bundled sample mailbox (dry-run).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q .
exec .venv/bin/mailbot demo
