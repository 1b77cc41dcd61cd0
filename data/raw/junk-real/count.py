#!/usr/bin/env python3
"""Count distinct lines per label, distinct sites per label, and lines per language
in data/raw/junk-real/<label>/*.jsonl."""
import json, glob, os, collections
here = os.path.dirname(os.path.abspath(__file__))
texts = collections.defaultdict(set); sites = collections.defaultdict(set)
langs = collections.defaultdict(collections.Counter); repos = collections.defaultdict(set)
for label in ("ad", "related", "boilerplate"):
    seen = set()
    for p in sorted(glob.glob(os.path.join(here, label, "*.jsonl"))):
        for line in open(p, encoding="utf-8"):
            r = json.loads(line)
            assert r["label"] == label, (p, r)
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            texts[label].add(r["text"]); repos[label].add(r["repo"])
            if r["site"] and r["site"] != "unknown":
                sites[label].add(r["site"])
            langs[label][r["lang"]] += 1
print(f"{'label':<12}{'lines':>7}{'sites':>7}{'en':>7}{'es':>7}{'repos':>7}")
for label in ("ad", "related", "boilerplate"):
    print(f"{label:<12}{len(texts[label]):>7}{len(sites[label]):>7}{langs[label]['en']:>7}{langs[label]['es']:>7}{len(repos[label]):>7}")
tot = collections.Counter()
for l in langs.values(): tot.update(l)
print("all languages:", dict(tot))
