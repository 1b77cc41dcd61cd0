#!/usr/bin/env python3
"""How chaff-train's cost grows with the data, and how it compares with one fastText training.

  python3 bench/scale.py [--sizes 50000,200000,1000000] [--out-md bench/scale-results.md]

1. fastText and chaff-train on data/train.csv, back to back: fastText supervised, 25 epochs,
   word bigrams, character 3-5-grams, one thread; chaff-train with its defaults (3-fold
   cross-validation plus the final fit), all cores. Wall seconds and peak memory of each.
2. Larger CSVs made from the builder's material: `build-data --seed N` for N = 1, 2, ... draws
   another corpus from data/raw each time (other inserts, ads and samples around the same news);
   their articles (ids prefixed with the seed) are concatenated until the size is reached.
   chaff-train on each, wall seconds and peak memory (GNU time's maximum resident set size).
Writes a Markdown table with the machine and date, and a PNG plot beside it.
Runs inside bench/.venv like compare.py (made from bench/requirements.txt on first use).
"""
import argparse
import csv
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import compare  # noqa: E402  (its venv, machine description and runner)

FASTTEXT = dict(epoch=25, lr=0.5, dim=50, wordNgrams=2, minn=3, maxn=5, loss="softmax", thread=1)


def timed(cmd):
    """Runs cmd under GNU time; returns (wall seconds, peak MiB)."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise compare.Failure(f"{cmd[0]} failed: {proc.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return wall, int(peak.group(1)) / 1024 if peak else float("nan")


def fasttext_on(csv_path, work):
    text = work / "fasttext.txt"
    with open(csv_path, newline="", encoding="utf-8") as f, open(text, "w", encoding="utf-8") as out:
        for r in csv.DictReader(f):
            out.write(f"__label__{r['label']} {' '.join(r['text'].split())}\n")
    script = ("import fasttext,sys; fasttext.train_supervised(input=sys.argv[1], seed=0, verbose=0, "
              + ", ".join(f"{k}={v!r}" for k, v in FASTTEXT.items()) + ")")
    return timed([sys.executable, "-c", script, text])


def make_csv(rows_wanted, work):
    """A CSV of about rows_wanted rows from builder draws with seeds 1, 2, ..."""
    out_path = work / f"train-{rows_wanted}.csv"
    if out_path.exists():
        return out_path
    written, seed, header = 0, 1, None
    with open(out_path, "w", newline="", encoding="utf-8") as out:
        writer = None
        while written < rows_wanted:
            draw = work / f"draw{seed}"
            if not (draw / "train.csv").exists():
                compare.run(["cargo", "run", "--release", "-q", "-p", "build-data", "--",
                             "--out", draw, "--seed", seed], "build-data", cwd=ROOT)
            with open(draw / "train.csv", newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                if writer is None:
                    header = reader.fieldnames
                    writer = csv.DictWriter(out, fieldnames=header)
                    writer.writeheader()
                last = None
                for r in reader:
                    if written >= rows_wanted and r["article_id"] != last:
                        break
                    last = r["article_id"]
                    r["article_id"] = f"s{seed}-{r['article_id']}"
                    writer.writerow(r)
                    written += 1
            seed += 1
    return out_path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50000,200000,1000000")
    ap.add_argument("--work", type=Path, default=Path("/tmp/chaff-scale"))
    ap.add_argument("--out-md", type=Path, default=ROOT / "bench" / "scale-results.md")
    args = ap.parse_args()
    compare.ensure_venv()
    compare.build_chaff(always=True)
    args.work.mkdir(parents=True, exist_ok=True)
    train = compare.chaff_bin("chaff-train")
    rows = []
    data = ROOT / "data" / "train.csv"
    n = sum(1 for _ in open(data, encoding="utf-8")) - 1
    compare.log("fastText on data/train.csv ...")
    ft = fasttext_on(data, args.work)
    compare.log("chaff-train on data/train.csv ...")
    ch = timed([train, "--data", data, "--out", args.work / "default.chaff"])
    rows.append(("data/train.csv", n, ch, ft))
    for size in [int(s) for s in args.sizes.split(",") if s]:
        path = make_csv(size, args.work)
        size = sum(1 for _ in open(path, encoding="utf-8")) - 1
        compare.log(f"chaff-train on {size} rows ...")
        rows.append((path.name, size, timed([train, "--data", path, "--out", args.work / "m.chaff"]), None))
    lines = ["| data | rows | chaff-train s | chaff peak MiB | fastText s | fastText peak MiB | fastText / chaff |",
             "|---|---|---|---|---|---|---|"]
    for name, size, (cs, cm), ft in rows:
        fts = f"{ft[0]:.1f} | {ft[1]:.0f} | {ft[0] / cs:.2f}x" if ft else "- | - | -"
        lines.append(f"| {name} | {size:,} | {cs:.1f} | {cm:.0f} | {fts} |")
    png = args.out_md.with_suffix(".png")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    scaled = [r for r in rows[1:]]
    fig, ax1 = plt.subplots(figsize=(6, 4))
    xs = [r[1] for r in scaled]
    ax1.plot(xs, [r[2][0] for r in scaled], "o-", label="seconds")
    ax1.set_xscale("log"); ax1.set_yscale("log")
    ax1.set_xlabel("training rows"); ax1.set_ylabel("chaff-train wall seconds")
    ax2 = ax1.twinx()
    ax2.plot(xs, [r[2][1] for r in scaled], "s--", color="tab:red", label="peak MiB")
    ax2.set_yscale("log"); ax2.set_ylabel("peak memory (MiB)", color="tab:red")
    ax1.set_title("chaff-train: time and memory against rows")
    fig.tight_layout(); fig.savefig(png, dpi=100)
    now = datetime.datetime.now(datetime.timezone.utc)
    compare.write_report(args.out_md, f"""# chaff-train at scale

- date: {now:%Y-%m-%d %H:%M UTC}
- machine: {compare.machine()}
- command: `python3 bench/scale.py --sizes {args.sizes}`
- fastText: `train_supervised({', '.join(f'{k}={v!r}' for k, v in FASTTEXT.items())})`; chaff-train with
  its defaults (3-fold cross-validation plus the final fit) on all cores.
- Larger CSVs: builder draws (`build-data --seed N`) concatenated; peak memory is GNU time's maximum
  resident set size.

{chr(10).join(lines)}

![time and memory against rows]({png.name})
""", lines, png)


if __name__ == "__main__":
    compare.entry(main, "scale.py")
