#!/usr/bin/env bash
# Idempotent set-up for codesign; safe to re-run. Installs:
#   * system packages: yosys, iverilog, verilator (and what later stages need),
#     chromium (headless, renders and checks the HTML report) with a font;
#   * a project-local Python venv (.venv) with torch 2.11.0, whose libtorch
#     the `tch` crate links against (LIBTORCH_USE_PYTORCH=1);
#   * the release build of the `codesign` binary.
# Source scripts/env.sh afterwards to build by hand with the same settings.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(yosys iverilog verilator python3-venv ca-certificates curl chromium fonts-dejavu-core
    slurmctld slurmd slurm-client munge)
missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # As root: the _apt sandbox user may be unable to verify signatures here
    # and apt-get would keep stale lists while exiting 0.
    apt-get -o APT::Sandbox::User=root update -q
    apt-get -o APT::Sandbox::User=root install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
    echo "setup: installing Rust with rustup" >&2
    curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi

TORCH_VERSION=2.11.0
if ! .venv/bin/python -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('$TORCH_VERSION') else 1)" 2>/dev/null; then
    echo "setup: installing torch $TORCH_VERSION into .venv (about 4.6 GB)" >&2
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "torch==$TORCH_VERSION"
fi

# shellcheck source=scripts/env.sh
source scripts/env.sh
cargo build --release --quiet
