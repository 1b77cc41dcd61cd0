#!/usr/bin/env python3
"""Leave-one-source-out runs of chaff alone, for trying a change to chaff quickly.

  python3 bench/loso_chaff.py --work /tmp/loso/base
  python3 bench/loso_chaff.py --work /tmp/loso/alpha10 -- --alpha 10   # after --: chaff-train flags
  python3 bench/loso_chaff.py --work /tmp/loso/base --sources bbc,web

For each `source` of the CSV (default data/train.csv): train chaff-train on the other sources,
score the held-out one with `chaff-label --eval` (macro-F1, that of stage 1 alone, and recall of
news, related, ad), and then the hard case of DESIGN.md at scale: every headline (position 0) of
the held-out source, up to --headlines of them, is put as a bare line between the second and
third paragraphs of a fixed four-paragraph news article (the one of tests/cli/hard_cases.rs),
and the share labelled `related` is reported, with any body paragraph lost. The held-out
headlines were never seen in training, as text or as inserts, so this measures bare-headline
detection on unseen text.

Uses target/release/chaff-train and chaff-label as they are (run `cargo build --release`
first). Nothing is installed; standard library only. About 7 minutes for all five sources on
2 cores. The comparison with fastText and scikit-learn is bench/compare.py.
"""
import argparse
import csv
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release"
HEADLINE = "City council approves budget with deep cuts to library services"
BODY = [
    "The council approved the new budget on Thursday after a debate that lasted more than six hours, with opposition members warning that the cuts to library services would hit poorer districts hardest.",
    "Officials said the plan would save about 40 million over three years, although independent analysts questioned whether the savings could be achieved without closing several community centres.",
    "The mayor defended the decision, telling reporters that the city had no choice but to balance its books after two years of falling tax revenue and rising energy costs.",
    "A final vote on the remaining measures is expected next month, when the council will also consider proposals to raise parking charges in the city centre.",
]


def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{done.stderr}")
    return done.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT / "data" / "train.csv"))
    ap.add_argument("--work", required=True, help="folder for the split CSVs, models and reports")
    ap.add_argument("--sources", help="comma-separated sources to hold out (default: all)")
    ap.add_argument("--headlines", type=int, default=1000, help="held-out headlines to insert")
    ap.add_argument("train_args", nargs="*", help="extra chaff-train flags, after --")
    args = ap.parse_args()

    with open(args.data, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    sources = sorted({r["source"] for r in rows})
    if args.sources:
        sources = [s for s in sources if s in args.sources.split(",")]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("held out  macro-F1  stage 1 alone  recall news / related / ad  bare headlines related (news lost)")
    for source in sources:
        paths = {}
        for part, keep in (("train", lambda r: r["source"] != source), ("test", lambda r: r["source"] == source)):
            paths[part] = work / f"{part}-{source}.csv"
            with open(paths[part], "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
                w.writeheader()
                w.writerows(r for r in rows if keep(r))
        model = work / f"{source}.chaff"
        run([BIN / "chaff-train", *args.train_args, "--data", paths["train"], "--out", model])
        report_path = work / f"{source}.json"
        run([BIN / "chaff-label", "--model", model, "--eval", paths["test"],
             "--report-json", report_path, "--review", work / f"{source}.review.csv"])
        report = json.loads(report_path.read_text())
        recall = [report["labels"][l]["recall"] for l in ("news", "related", "ad")]

        titles = [r["text"] for r in rows if r["source"] == source and r["position"] == "0"]
        titles = random.Random(2).sample(titles, min(args.headlines, len(titles)))
        articles = "".join(
            json.dumps({"id": str(i), "text": "\n\n".join([HEADLINE, *BODY[:2], t, *BODY[2:]])}) + "\n"
            for i, t in enumerate(titles)
        )
        out = run([BIN / "chaff-label", "--model", model, "--format", "jsonl"], input=articles)
        found = lost = 0
        for line in out.splitlines():
            rec = json.loads(line)
            if rec["index"] == 3:
                found += rec["label"] == "related"
            elif rec["label"] != "news":
                lost += 1
        print(f"{source:9} {report['macro_f1']:.4f}    {report['stage1_macro_f1']:.4f}         "
              f"{recall[0]:.4f} / {recall[1]:.4f} / {recall[2]:.4f}"
              f"      {found}/{len(titles)} = {found / len(titles):.3f} ({lost})", flush=True)


if __name__ == "__main__":
    main()
