#!/usr/bin/env bash
# Set up (idempotent), then run every test: unit, integration (real Yosys,
# iverilog, Verilator, libtorch) and the bad-input corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
cargo test --release --quiet "$@"
