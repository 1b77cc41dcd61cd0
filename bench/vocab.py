#!/usr/bin/env python3
"""How stage 1's vocabulary size changes chaff on sites it never saw.

  python3 bench/vocab.py [--sizes 2000,8000,32000,131072,1048576] [--out-md bench/vocab-results.md]

For each size, the leave-site-out folds of compare.py (the real pages' sites in five folds by a
seeded hash; train on every row outside a fold's sites, score that fold's real pages) with
`chaff-train --vocab-size N`: pooled macro-F1 and share of news kept, mean training seconds
(cross-validation included, all cores), peak memory of the largest training, and the size of
the model file trained on all of the CSV. Writes a Markdown table with the machine and date and
a PNG plot beside it. Runs inside bench/.venv like compare.py.
"""
import argparse
import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import compare  # noqa: E402  (its venv, folds, runner and metrics)
import scale  # noqa: E402  (GNU time wrapper)


def one_size(size, rows, folds, work, seed):
    """Pooled leave-site-out metrics and costs of chaff-train --vocab-size size."""
    compare.CHAFF_ARGS[:] = ["--vocab-size", str(size)]
    results = []
    for i, sites in enumerate(folds):
        train = [r for r in rows if r["site"] not in sites]
        test = [r for r in rows if r["site"] in sites and r["origin"] == "real"
                and r["source"] == "pages"]
        results += compare.compare(train, test, work / f"v{size}" / f"fold{i + 1}", ["chaff"], seed,
                                   held_out=f"fold {i + 1}")
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise compare.Failure(f"--vocab-size {size}: {errors[0]}")
    pooled = compare.pooled_rows(results, ["chaff"])[0]
    model = work / f"v{size}" / "all.chaff"
    wall, peak = scale.timed([compare.chaff_bin("chaff-train"), "--data", ROOT / "data" / "train.csv",
                              "--out", model, "--seed", seed, *compare.CHAFF_ARGS])
    return dict(size=size, macro_f1=pooled["macro_f1"], news_kept=pooled["labels"]["news"]["recall"],
                removed=pooled["removed"], fold_train_s=pooled["train_s"], all_train_s=wall,
                peak_mib=peak, model_kib=model.stat().st_size / 1024)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,8000,32000,131072,1048576")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, default=Path("/tmp/chaff-vocab"))
    ap.add_argument("--out-md", type=Path, default=ROOT / "bench" / "vocab-results.md")
    args = ap.parse_args()
    compare.ensure_venv()
    compare.build_chaff(always=True)
    data = ROOT / "data" / "train.csv"
    rows = compare.read_rows(data)
    folds = compare.site_folds(rows, args.folds, args.seed, "pages")
    out = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        compare.log(f"--vocab-size {size} ...")
        out.append(one_size(size, rows, folds, args.work, args.seed))
        r = out[-1]
        compare.log(f"--vocab-size {size}: macro-F1 {r['macro_f1']:.4f}, news kept {r['news_kept']:.4f}")
    lines = ["| vocabulary | macro-F1 | news kept | related / ad / boilerplate removed | train s per fold "
             "| train s, all data | peak MiB | model KiB |",
             "|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in out:
        rem = " / ".join(f"{r['removed'][k]:.4f}" for k in ("related", "ad", "boilerplate"))
        lines.append(f"| {r['size']:,} | {r['macro_f1']:.4f} | {r['news_kept']:.4f} | {rem} | "
                     f"{r['fold_train_s']:.1f} | {r['all_train_s']:.1f} | {r['peak_mib']:.0f} | "
                     f"{r['model_kib']:.0f} |")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax1 = plt.subplots(figsize=(6, 4))
    xs = [r["size"] for r in out]
    ax1.plot(xs, [r["macro_f1"] for r in out], "o-", label="macro-F1")
    ax1.plot(xs, [r["news_kept"] for r in out], "^-", label="news kept")
    ax1.set_xscale("log"); ax1.set_xlabel("vocabulary terms"); ax1.set_ylabel("leave-site-out")
    ax1.legend(loc="center left")
    ax2 = ax1.twinx()
    ax2.plot(xs, [r["all_train_s"] for r in out], "s--", color="tab:red")
    ax2.set_ylabel("chaff-train seconds, all data", color="tab:red")
    ax1.set_title("chaff: vocabulary size on unseen sites")
    fig.tight_layout()
    png = args.out_md.with_suffix(".png")
    fig.savefig(png, dpi=100)
    now = datetime.datetime.now(datetime.timezone.utc)
    compare.write_report(args.out_md, f"""# Vocabulary size

- date: {now:%Y-%m-%d %H:%M UTC}
- machine: {compare.machine()}
- data: `data/train.csv` ({compare.file_state(data)}); leave-site-out, {args.folds} folds of the real
  pages' sites (seed {args.seed}), scored on those pages' real paragraphs, pooled
- command: `python3 bench/vocab.py --sizes {args.sizes}`
- train s per fold: mean wall seconds of `chaff-train --vocab-size N` on a fold's training rows
  (3-fold cross-validation plus the final fit, all cores); train s, all data, peak MiB and model
  KiB: one `chaff-train --vocab-size N` on all of `data/train.csv` (GNU time's maximum resident
  set size; the model file as written, compressed).

{chr(10).join(lines)}

![vocabulary size against macro-F1, news kept and training time]({png.name})
""", lines, png)


if __name__ == "__main__":
    compare.entry(main, "vocab.py")
