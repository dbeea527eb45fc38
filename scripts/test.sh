#!/usr/bin/env bash
# Runs every hivewire test: the Rust workspace tests (cargo nextest) and the
# client suite (tests/clients: psycopg, SQLAlchemy, pandas, psql) against the
# freshly built binary. Works on a fresh Debian machine as root, without stdin.
#
# Environment:
#   CARGO_TARGET_DIR   default $HOME/.cache/hivewire/target
#   HIVEWIRE_VENV      default $HOME/.cache/hivewire/venv
#   PYTHON             interpreter for the venv (default python3)
#   Arguments are passed to pytest (e.g. scripts/test.sh -k psql -x).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hivewire/target}"
VENV="${HIVEWIRE_VENV:-$HOME/.cache/hivewire/venv}"
PYTHON="${PYTHON:-python3}"
REQS="$ROOT/tests/clients/requirements.txt"
LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hivewire-test.XXXXXX")"
trap 'rm -rf "$LOG_DIR"' EXIT

log() { printf '\n==> %s\n' "$*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
fi

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    local i
    for i in 1 2 3; do
      if "${SUDO[@]}" apt-get update -q; then break; fi
      [ "$i" -eq 3 ] && { echo "apt-get update failed" >&2; return 1; }
      sleep 5
    done
    APT_UPDATED=1
  fi
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$@"
}

# ------------------------------------------------------------ system packages
if ! command -v psql >/dev/null 2>&1; then
  log "installing postgresql-client (psql)"
  apt_install postgresql-client
fi
psql --version
# The PostgreSQL server, for the tests of the catalog kept in PostgreSQL.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing postgresql (server, for the PostgreSQL catalog backend tests)"
  apt_install postgresql
fi

# --------------------------------------------------------------- python venv
if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  log "creating venv $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    apt_install python3-venv
    "$PYTHON" -m venv "$VENV"
  fi
fi
REQ_HASH="$(sha256sum "$REQS" | cut -d' ' -f1)"
STAMP="$VENV/.hivewire-requirements.sha256"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$REQ_HASH" ]; then
  log "installing client test requirements into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQS"
  echo "$REQ_HASH" >"$STAMP"
fi

# ------------------------------------------------------------------ the steps
BUILD=fail NEXTEST=skipped PYTEST=skipped
NEXTEST_LINE="" PYTEST_LINE=""
FAILED=0

log "cargo build --bins (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
if cargo build --bins; then
  BUILD=ok
else
  FAILED=1
fi

if [ "$BUILD" = ok ]; then
  log "cargo nextest run --workspace --no-fail-fast"
  set +e
  cargo nextest run --workspace --no-fail-fast --no-tests=warn 2>&1 | tee "$LOG_DIR/nextest.log"
  rc=${PIPESTATUS[0]}
  set -e
  NEXTEST_LINE="$(grep -E '^ *Summary ' "$LOG_DIR/nextest.log" | tail -n1 | sed -E 's/^ +//' || true)"
  if [ "$rc" -eq 0 ]; then NEXTEST=ok; else NEXTEST="fail (exit $rc)"; FAILED=1; fi

  BIN="$CARGO_TARGET_DIR/debug/hivewire"
  log "pytest tests/clients (HIVEWIRE_BIN=$BIN)"
  set +e
  HIVEWIRE_BIN="$BIN" "$VENV/bin/python" -m pytest tests/clients \
    -p no:cacheprovider -ra --timeout=300 "$@" 2>&1 | tee "$LOG_DIR/pytest.log"
  rc=${PIPESTATUS[0]}
  set -e
  PYTEST_LINE="$(grep -E '(passed|failed|errors?|skipped|deselected|no tests ran).* in [0-9.]+s' "$LOG_DIR/pytest.log" \
    | tail -n1 | sed -E 's/^=+ //; s/ =+$//' || true)"
  case "$rc" in
    0) PYTEST=ok ;;
    5) PYTEST="fail (no tests collected)"; FAILED=1 ;;
    *) PYTEST="fail (exit $rc)"; FAILED=1 ;;
  esac
fi

# -------------------------------------------------------------------- summary
echo
echo "==================== hivewire test summary ===================="
echo "cargo build : $BUILD"
echo "nextest     : $NEXTEST${NEXTEST_LINE:+  [$NEXTEST_LINE]}"
echo "pytest      : $PYTEST${PYTEST_LINE:+  [$PYTEST_LINE]}"
if [ "$FAILED" -eq 0 ]; then
  echo "hivewire tests: ALL STEPS PASSED"
else
  echo "hivewire tests: SOME STEPS FAILED"
fi
exit "$FAILED"
