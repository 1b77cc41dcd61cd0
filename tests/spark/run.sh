#!/usr/bin/env bash
# Spark integration test of chaff-label as a streaming filter (issue 5). Makes tests/spark/.venv
# with the pinned pyspark if it is missing or stale, builds chaff-label, runs test_spark.py.
# Needs Java (17 here) and Python 3 with venv; everything else comes from PyPI.
#   bash tests/spark/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/spark
venv=$here/.venv
say() { echo "spark: $*"; }
as_root_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

# Java: Spark runs on the JVM.
if ! command -v java >/dev/null && [ -z "${JAVA_HOME:-}" ]; then
    if as_root_apt; then
        say "no java: installing openjdk-17-jre-headless"
        apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    else
        say "no java on PATH and no JAVA_HOME: install Java 17 (e.g. openjdk-17-jre-headless)"
        exit 1
    fi
fi
say "$( (java -version 2>&1 || "$JAVA_HOME/bin/java" -version 2>&1) | head -n 1)"

# The virtualenv, reinstalled when requirements.txt changes or an install was interrupted.
t0=$SECONDS
python=${PYTHON:-python3}
stamp=$venv/.requirements.sha256
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        if as_root_apt; then
            say "python venv missing: installing python3-venv"
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            rm -rf "$venv"
            "$python" -m venv "$venv"
        else
            say "cannot create a virtualenv with $python: install python3-venv"
            exit 1
        fi
    fi
    say "installing $(grep -v '^#' "$here/requirements.txt" | xargs) into $venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -r "$here/requirements.txt"
    echo "$want" >"$stamp"
    say "install took $((SECONDS - t0))s"
else
    say "using $venv ($("$venv/bin/python" -m pip --disable-pip-version-check freeze | grep -i '^pyspark=='))"
fi

# The binary under test (a no-op when it is up to date).
cargo build --release --bin chaff-label
target_dir=$(cargo metadata --format-version 1 --no-deps |
    "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# A SPARK_HOME of another install would make pyspark start that Spark instead of the pinned one.
unset SPARK_HOME PYSPARK_SUBMIT_ARGS
export PYTHONDONTWRITEBYTECODE=1
CHAFF_LABEL="$target_dir/release/chaff-label" exec "$venv/bin/python" "$here/test_spark.py"
