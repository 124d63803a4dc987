#!/usr/bin/env bash
# Set up (idempotent), then run the whole pipeline on the built-in digits demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
target/release/codesign run configs/digits.yaml --out runs/digits "$@"
