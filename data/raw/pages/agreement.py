#!/usr/bin/env python3
"""Agreement between the two annotation passes (labels/a and labels/b) on the pages both
labelled: overall Cohen's kappa, and per label (that label against the rest), with counts.

  python3 data/raw/pages/agreement.py            # a table in Markdown
"""
import os
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["news", "related", "ad", "boilerplate"]


def read(pass_):
    out = {}
    root = os.path.join(HERE, "labels", pass_)
    for coll in sorted(os.listdir(root)):
        for f in sorted(os.listdir(os.path.join(root, coll))):
            rows = [l.rstrip("\n").split("\t")[1] for l in open(os.path.join(root, coll, f)) if l.strip()]
            out[coll + "/" + f[:-4]] = rows
    return out


def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main():
    a, b = read("a"), read("b")
    both = sorted(set(a) & set(b))
    pairs = [(x, y) for p in both if len(a[p]) == len(b[p]) for x, y in zip(a[p], b[p])]
    print(f"{len(both)} pages, {len(pairs)} paragraphs labelled twice\n")
    print(f"| label | pass a | pass b | both | kappa (label vs rest) |")
    print(f"|---|---|---|---|---|")
    for lab in LABELS:
        binary = [(x == lab, y == lab) for x, y in pairs]
        na = sum(x for x, _ in binary)
        nb = sum(y for _, y in binary)
        nboth = sum(x and y for x, y in binary)
        print(f"| {lab} | {na} | {nb} | {nboth} | {kappa(binary):.3f} |")
    agree = sum(x == y for x, y in pairs) / max(1, len(pairs))
    print(f"| all four | | | {agree:.3f} raw agreement | {kappa(pairs):.3f} |")
    confusion = Counter(pairs)
    print("\nconfusion (pass a -> pass b), disagreements only:")
    for (x, y), n in confusion.most_common():
        if x != y:
            print(f"  {x} -> {y}: {n}")


if __name__ == "__main__":
    main()
