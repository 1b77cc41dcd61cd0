#!/usr/bin/env bash
# Times chaff-label on hostile inputs at two sizes, ten times apart, to show each stage is linear
# (a quadratic path shows as ~100x, a linear one as ~10x), and on the bounded cases (bombs,
# endless model, absurd thread count) with their peak memory. Timing lives here, not in tests.
# Usage: bench/hostile.sh [OUT.md]   (default bench/hostile-results.md); needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/hostile-results.md}
cargo build --release --quiet
bin=target/release/chaff-label
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
for n in (20_000, 200_000):
    open(f"{w}/lines-{n}.txt", "w").write("".join(f"word{i}\n" for i in range(n)))
    open(f"{w}/cr-{n}.txt", "w").write("".join(f"word{i}\r" for i in range(n)))
    open(f"{w}/one-{n}.jsonl", "w").write(json.dumps({"text": "".join(f"word{i}\n" for i in range(n))}) + "\n")
    open(f"{w}/nested-{n}.html", "w").write("<div>" * n + "text" + "</div>" * n)
    open(f"{w}/unclosed-{n}.html", "w").write("".join(f"<div>d{i}" for i in range(n)))
    open(f"{w}/br-{n}.html", "w").write("<p>" + "".join(f"line {i}<br>" for i in range(n)) + "</p>")
    open(f"{w}/attrs-{n}.html", "w").write("<p " + " ".join(f'a{i}="v"' for i in range(n)) + ">x</p>")
PY
head -c 6000000000 /dev/zero | zstd -q -1 -o "$work/zeros.txt.zst" 2>/dev/null || true
[ -s "$work/zeros.txt.zst" ] && cp "$work/zeros.txt.zst" "$work/zeros.jsonl.zst"

run() { # name, command...: one table row with seconds, peak MB and exit status
  local name=$1 status=0 secs kb
  shift
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/err" || status=$?
  read -r secs kb < <(tail -1 "$work/time")
  printf '| %s | %s | %s | %s |\n' "$name" "$secs" "$((kb / 1024))" "$status" >>"$out"
}

{
  echo "# chaff-label on hostile input ($(date -u +%F), $(nproc) cores)"
  echo
  echo "Made by \`bench/hostile.sh\`. Each pair of rows is the same input at 20,000 and 200,000 units:"
  echo "a linear stage takes about 10 times as long for the second."
  echo
  echo "| input | seconds | peak MB | exit |"
  echo "|---|---:|---:|---:|"
} >"$out"
for kind in lines cr; do
  for n in 20000 200000; do run "$n one-word lines ($kind)" $bin "$work/$kind-$n.txt"; done
done
for n in 20000 200000; do run "one JSONL record of $n lines" $bin "$work/one-$n.jsonl"; done
for kind in nested unclosed br attrs; do
  for n in 20000 200000; do run "$n $kind (HTML)" $bin "$work/$kind-$n.html"; done
done
if [ -s "$work/zeros.txt.zst" ]; then
  run "6 GB of zeros as .txt.zst" $bin "$work/zeros.txt.zst"
  run "6 GB of zeros as .jsonl.zst" $bin "$work/zeros.jsonl.zst"
fi
run "--model /dev/zero" $bin --model /dev/zero "$work/lines-20000.txt"
run "--threads 100000" $bin --threads 100000 "$work/lines-20000.txt"
echo >>"$out"
echo "(exit 1: refused with a message, as intended.)" >>"$out"
cat "$out"
