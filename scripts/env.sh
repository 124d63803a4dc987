# Build environment for codesign (source it): tch links against the torch
# wheel in .venv; the binary carries an rpath to it (build.rs), so running
# needs nothing from here.
_codesign_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LIBTORCH_USE_PYTORCH=1
export PATH="$_codesign_root/.venv/bin:$HOME/.cargo/bin:$PATH"
unset _codesign_root
