#!/usr/bin/env bash
# Tests of the Python package `chaff` (python/tests/). Makes python/.venv with the pinned
# python/requirements.txt (maturin, pytest, DataTrove) if it is missing or stale, installs the
# package from the repository root as a user would (`pip install '.[datatrove]'`; maturin builds
# the extension module in release mode), builds chaff-label (the tests check the Python answers
# against it) and runs pytest. Extra arguments go to pytest.
#   bash python/run-tests.sh [-k clean]
# Needs Python 3.10 or later with venv (PYTHON picks the interpreter) and cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
here=python
venv=$here/.venv
say() { echo "python: $*"; }

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    say "$python is missing or older than 3.10; set PYTHON to a Python 3.10 or later"
    exit 1
fi

# The virtualenv, made again when requirements.txt changes or an install was interrupted.
t0=$SECONDS
stamp=$venv/.requirements.sha256
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "python venv missing: installing python3-venv"
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            rm -rf "$venv"
            "$python" -m venv "$venv"
        else
            say "cannot create a virtualenv with $python: install python3-venv"
            exit 1
        fi
    fi
    say "installing python/requirements.txt into $venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -r "$here/requirements.txt"
    echo "$want" >"$stamp"
    say "install took $((SECONDS - t0))s"
fi

# The package, as `pip install .` builds it, with the pinned maturin of the virtualenv (no
# build isolation: nothing is fetched for the build).
t0=$SECONDS
export PATH="$PWD/$venv/bin:$PATH" VIRTUAL_ENV="$PWD/$venv"
say "pip install '.[datatrove]' (a release build of the extension module)"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    --no-build-isolation '.[datatrove]'
say "build and install took $((SECONDS - t0))s"

# The binary the answers are compared with (a no-op when it is up to date).
cargo build --release --bin chaff-label
target_dir=$(cargo metadata --format-version 1 --no-deps |
    "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# Run from the repository root, where no `chaff` folder shadows the installed package.
export PYTHONDONTWRITEBYTECODE=1
status=0
CHAFF_LABEL="$target_dir/release/chaff-label" "$venv/bin/pytest" -p no:cacheprovider "$@" ||
    status=$?
if [ "$status" = 5 ]; then
    # pytest's "no tests were collected": a run that tested nothing has not passed.
    say "pytest collected no tests (exit 5); check python/tests/ and the arguments: $*"
    exit 1
fi
exit "$status"
