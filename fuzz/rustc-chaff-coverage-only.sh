#!/usr/bin/env bash
# A RUSTC_WRAPPER for minimizing the regression inputs (see README.md, "Regression inputs"):
# compiles chaff and the fuzz crate with cargo-fuzz's coverage instrumentation and every
# dependency without it, so libFuzzer's merge keeps inputs for edges of chaff's own code (and of
# the dependencies' generic code instantiated there), not for html5ever's or serde_json's
# internals alone.
set -euo pipefail
rustc="$1"
shift
crate=""
previous=""
for arg in "$@"; do
  if [ "$previous" = "--crate-name" ]; then crate="$arg"; fi
  previous="$arg"
done
case "$crate" in
  chaff | chaff_fuzz | split | html | jsonl | model | model_body | csv) exec "$rustc" "$@" ;;
esac
args=()
after_c=0
for arg in "$@"; do
  if [ "$after_c" = 1 ]; then
    after_c=0
    case "$arg" in
      passes=sancov-module | llvm-args=-sanitizer-coverage*) ;;
      *) args+=("-C" "$arg") ;;
    esac
    continue
  fi
  case "$arg" in
    -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage*) ;;
    -C) after_c=1 ;;
    *) args+=("$arg") ;;
  esac
done
exec "$rustc" "${args[@]}"
