#!/usr/bin/env python3
"""Build an es-* collection of real Spanish-language news pages from a fetched git mirror.

usage: es-extract.py MANIFEST.json
MANIFEST: {"collection": "es-x", "repo": "owner/name", "gitdir": "/work/.mirror/.../repo",
           "commit": "<40 hex>", "pages": [{"path": ..., "name": ..., "site": ..., "url": ...}, ...]}
Pages whose extraction is None or has fewer than 3 paragraphs are skipped (reported on stderr).
"""
import gzip, json, os, subprocess, sys
import trafilatura

def main():
    m = json.load(open(sys.argv[1]))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), m["collection"])
    os.makedirs(os.path.join(out, "html"), exist_ok=True)
    ver = "trafilatura " + trafilatura.__version__
    rows, skipped = [], []
    for p in m["pages"]:
        raw = subprocess.run(["git", "-C", m["gitdir"], "show", f'{m["commit"]}:{p["path"]}'],
                             check=True, capture_output=True).stdout
        if p["path"].endswith(".gz"):
            raw = gzip.decompress(raw)
        if p.get("encoding"):
            html = raw.decode(p["encoding"], errors="replace")
        else:
            try:
                html = raw.decode("utf-8")
            except UnicodeDecodeError:
                html = raw  # bytes: trafilatura detects the charset itself
        text = trafilatura.extract(html, favor_recall=True, include_comments=True,
                                   include_tables=True, deduplicate=False)
        paras = [l.strip() for l in (text or "").split("\n") if l.strip()]
        if len(paras) < 3:
            skipped.append((p["path"], len(paras)))
            continue
        name = p["name"]
        with gzip.open(os.path.join(out, "html", name + ".html.gz"), "wb") as f:
            f.write(raw)
        rows.append({"page_id": f'{m["collection"]}/{name}', "site": p["site"], "lang": "es",
                     "url": p.get("url"), "repo": m["repo"], "commit": m["commit"],
                     "path": p["path"], "extractor": ver, "paragraphs": paras})
    rows.sort(key=lambda r: r["page_id"])
    with open(os.path.join(out, "pages.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for s in skipped:
        print("SKIPPED", *s, file=sys.stderr)
    print(f'{len(rows)} pages, {len({r["site"] for r in rows})} sites -> {out}', file=sys.stderr)

if __name__ == "__main__":
    main()
