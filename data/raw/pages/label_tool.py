#!/usr/bin/env python3
"""Labelling helper for the real pages in data/raw/pages.

  label_tool.py show PAGE_ID            print the page's paragraphs, numbered, with site and language
  label_tool.py check PASS [PAGE_ID...] check label files of annotation pass PASS (a or b)
  label_tool.py batch NAME              list the page ids of a batch (batches/NAME.txt)
  label_tool.py write PASS PAGE_ID SPEC write a page's label file from ranges, e.g.
                                        "0-3 news; 4 related; 5-9 news; 10-12 boilerplate"
                                        (every paragraph exactly once; n/r/a/b abbreviate)

Label files: labels/PASS/<collection>/<short-name>.tsv, one line per paragraph in page order:
`<index>\t<label>` with label one of news, related, ad, boilerplate (see data/LABELS.md).
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = {"news", "related", "ad", "boilerplate"}


def pages():
    out = {}
    for coll in sorted(os.listdir(HERE)):
        f = os.path.join(HERE, coll, "pages.jsonl")
        if os.path.isfile(f):
            for line in open(f, encoding="utf-8"):
                p = json.loads(line)
                out[p["page_id"]] = p
    return out


def label_path(pass_, page_id):
    coll, short = page_id.split("/", 1)
    return os.path.join(HERE, "labels", pass_, coll, short + ".tsv")


def show(page_id):
    p = pages()[page_id]
    print(f"# {page_id}  site={p['site']}  lang={p['lang']}  url={p.get('url')}  paragraphs={len(p['paragraphs'])}")
    for i, t in enumerate(p["paragraphs"]):
        print(f"[{i}] {t}")


def check(pass_, ids):
    all_pages = pages()
    if not ids:
        root = os.path.join(HERE, "labels", pass_)
        ids = []
        for coll in sorted(os.listdir(root)):
            for f in sorted(os.listdir(os.path.join(root, coll))):
                if f.endswith(".tsv"):
                    ids.append(coll + "/" + f[:-4])
    bad = 0
    for pid in ids:
        path = label_path(pass_, pid)
        if pid not in all_pages:
            print(f"{path}: no such page {pid}"); bad += 1; continue
        if not os.path.exists(path):
            print(f"{path}: missing"); bad += 1; continue
        n = len(all_pages[pid]["paragraphs"])
        rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
        idx = [r[0] for r in rows]
        if idx != [str(i) for i in range(n)]:
            print(f"{path}: indices must be 0..{n-1} in order, one line each (found {len(rows)} lines)"); bad += 1; continue
        wrong = [(i, r[1] if len(r) > 1 else "") for i, r in enumerate(rows) if len(r) < 2 or r[1] not in LABELS]
        if wrong:
            print(f"{path}: bad labels at {wrong[:5]}"); bad += 1
    print(f"{len(ids)} pages checked, {bad} with problems")
    return bad == 0


ABBREV = {"n": "news", "r": "related", "a": "ad", "b": "boilerplate"}


def write(pass_, page_id, spec):
    n = len(pages()[page_id]["paragraphs"])
    labels = [None] * n
    for part in spec.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        rng, label = part.split()
        label = ABBREV.get(label, label)
        if label not in LABELS:
            sys.exit(f"unknown label {label!r} in {part!r}")
        lo, _, hi = rng.partition("-")
        lo, hi = int(lo), int(hi or lo)
        for i in range(lo, hi + 1):
            if i >= n:
                sys.exit(f"{page_id} has {n} paragraphs (0-{n-1}); {part!r} goes past the end")
            if labels[i] is not None:
                sys.exit(f"paragraph {i} labelled twice ({labels[i]} and {label})")
            labels[i] = label
    missing = [i for i, l in enumerate(labels) if l is None]
    if missing:
        sys.exit(f"{page_id}: paragraphs without a label: {missing[:20]}")
    path = label_path(pass_, page_id)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{i}\t{l}\n" for i, l in enumerate(labels))
    print(f"wrote {path}")


def main():
    if len(sys.argv) < 3:
        print(__doc__); sys.exit(2)
    cmd = sys.argv[1]
    if cmd == "show":
        for pid in sys.argv[2:]:
            show(pid)
    elif cmd == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3:]) else 1)
    elif cmd == "write":
        write(sys.argv[2], sys.argv[3], " ".join(sys.argv[4:]))
    elif cmd == "batch":
        print(open(os.path.join(HERE, "batches", sys.argv[2] + ".txt")).read(), end="")
    else:
        print(__doc__); sys.exit(2)


if __name__ == "__main__":
    main()
