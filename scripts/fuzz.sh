#!/usr/bin/env bash
# A longer fuzz run by hand: mutated mail from ../shared/corpus through parse, extract and deliver.
#   bash scripts/fuzz.sh [SECONDS] [pytest args...]     (default 1800 s; the suite runs 60)
# A failure is written, shrunk, to tests/fuzz/found/; keep it in tests/fuzz/regressions/ with its fix.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q ".[test]"
fi
seconds="${1:-1800}"
shift || true
# A new seed each run: the suite always tries the batches from seed 0.
export FUZZ_SECONDS="$seconds" FUZZ_SEED="${FUZZ_SEED:-$(date +%s)}"
echo "fuzzing for $FUZZ_SECONDS s from FUZZ_SEED=$FUZZ_SEED"
exec .venv/bin/python -m pytest -q -s -p no:cacheprovider tests/test_fuzz.py -k test_fuzz_parse_extract_deliver "$@"
