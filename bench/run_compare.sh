#!/usr/bin/env bash
# The README's comparison in one command: leave-one-source-out on data/train.csv, table written
# to bench/compare-results.md. Other arguments go to compare.py as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  set -- --loso data/train.csv --out-md bench/compare-results.md
fi
exec python3 bench/compare.py "$@"
