#!/usr/bin/env bash
# Runs hivewire's benchmarks and writes benches/results/<date>-<host>.md (see benches/README.md).
# Installs what it needs on a fresh Debian machine: the client venv plus the harness's packages,
# and a release build of hivewire and of the in-process DataFusion runner.
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/hivewire/target), HIVEWIRE_VENV (default
# $HOME/.cache/hivewire/venv), HIVEWIRE_SHARED_DIR (the shared corpora; default ../shared).
# Arguments go to the harness: benches/run.sh --sf 1 --runs 3 (see --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hivewire/target}"
VENV="${HIVEWIRE_VENV:-$HOME/.cache/hivewire/venv}"

if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  python3 -m venv "$VENV"
fi
HASH="$(cat tests/clients/requirements.txt benches/requirements.txt | sha256sum | cut -d' ' -f1)"
STAMP="$VENV/.hivewire-bench-requirements.sha256"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$HASH" ]; then
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    -r tests/clients/requirements.txt -r benches/requirements.txt
  echo "$HASH" >"$STAMP"
fi

cargo build --release --bins --example tpch_inprocess
cd benches
exec "$VENV/bin/python" -m harness "$@"
