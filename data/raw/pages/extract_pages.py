#!/usr/bin/env python3
"""Extract saved HTML pages into paragraphs, as a real scraper would.

One script for every collection under data/raw/pages/.

Usage:
    python extract_pages.py COLLECTION_DIR MANIFEST.jsonl
    python extract_pages.py COLLECTION_DIR
        (re-extract offline: the manifest is rebuilt from COLLECTION_DIR/pages.jsonl
         and the saved COLLECTION_DIR/html/<short-name>.html.gz files)

MANIFEST.jsonl holds one JSON object per page:
    {"page_id": "<collection>/<short-name>", "site": "nytimes.com" | null,
     "lang": "en" | null, "url": "https://..." | null,
     "repo": "owner/name", "commit": "<40 hex>", "path": "<path in repo>",
     "html_file": "/local/path/to/page.html[.gz]"}

For every page the script
  * copies the original HTML bytes to COLLECTION_DIR/html/<short-name>.html.gz,
  * runs trafilatura.extract(html, favor_recall=True, include_comments=True,
    include_tables=True, deduplicate=False) and splits the result on newlines
    into paragraphs (each stripped, empty lines dropped),
  * fills in a missing url (canonical link / og:url), site (registrable domain
    of the url) and lang (py3langid on the extracted text, falling back to
    <html lang>),
  * skips the page if extraction returns None or fewer than 3 paragraphs.
It then writes COLLECTION_DIR/pages.jsonl sorted by page_id (all pages of the
manifest; the file is rewritten) and prints the skipped pages.

Environment: python3 -m venv /tmp/pagesvenv &&
    /tmp/pagesvenv/bin/pip install trafilatura lxml_html_clean py3langid
"""
import gzip
import json
import os
import re
import sys

import trafilatura
from trafilatura.utils import decode_file

try:
    import py3langid
except ImportError:  # language then comes from <html lang> only
    py3langid = None

try:
    from tld import get_fld
except ImportError:
    get_fld = None

EXTRACTOR = "trafilatura " + trafilatura.__version__
SHORT_RE = re.compile(r"^[a-z0-9-]+$")


def read_bytes(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def html_text(data):
    """Decode HTML bytes the way trafilatura does."""
    return decode_file(data)


def extract_paragraphs(html):
    text = trafilatura.extract(
        html,
        favor_recall=True,
        include_comments=True,
        include_tables=True,
        deduplicate=False,
    )
    if text is None:
        return None
    return [line.strip() for line in text.split("\n") if line.strip()]


def _attr(tag, name):
    m = re.search(name + r"""\s*=\s*(["'])(.*?)\1""", tag, re.I | re.S)
    return m.group(2).strip() if m else None


def guess_url(html):
    """Canonical link, else og:url, else None."""
    for tag in re.findall(r"<link\b[^>]*>", html, re.I):
        rel = _attr(tag, "rel")
        if rel and rel.lower() == "canonical":
            href = _attr(tag, "href")
            if href and href.startswith("http"):
                return href
    for tag in re.findall(r"<meta\b[^>]*>", html, re.I):
        prop = _attr(tag, "property") or _attr(tag, "name")
        if prop and prop.lower() == "og:url":
            content = _attr(tag, "content")
            if content and content.startswith("http"):
                return content
    return None


def site_of(url):
    """Registrable domain of a URL (nytimes.com, bbc.co.uk)."""
    if not url:
        return None
    if get_fld is not None:
        try:
            return get_fld(url, fix_protocol=True).lower()
        except Exception:
            pass
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    return re.sub(r"^www\d*\.", "", host) or None


def html_lang(html):
    m = re.search(r"<html\b[^>]*>", html, re.I)
    if m:
        lang = _attr(m.group(0), "lang") or _attr(m.group(0), "xml:lang")
        if lang:
            return lang.split("-")[0].split("_")[0].lower() or None
    return None


def detect_lang(paragraphs, html):
    declared = html_lang(html)
    if py3langid is not None and paragraphs:
        text = " ".join(paragraphs)[:20000]
        lang, _ = py3langid.classify(text)
        return lang
    return declared


def process(collection_dir, manifest_path):
    collection = os.path.basename(os.path.normpath(collection_dir))
    os.makedirs(os.path.join(collection_dir, "html"), exist_ok=True)
    rows = [json.loads(l) for l in open(manifest_path, encoding="utf-8") if l.strip()]
    out, skipped = [], []
    seen = set()
    for row in rows:
        pid = row["page_id"]
        coll, short = pid.split("/", 1)
        assert coll == collection, pid
        assert SHORT_RE.match(short), pid
        assert pid not in seen, pid
        seen.add(pid)
        data = read_bytes(row["html_file"])
        html = html_text(data)
        paras = extract_paragraphs(html)
        if paras is None or len(paras) < 3:
            skipped.append((pid, "extraction returned %s" % (
                "None" if paras is None else "%d paragraphs" % len(paras))))
            continue
        url = row.get("url") or guess_url(html)
        site = row.get("site") or site_of(url)
        lang = row.get("lang") or detect_lang(paras, html)
        with gzip.open(os.path.join(collection_dir, "html", short + ".html.gz"), "wb") as f:
            f.write(data)
        out.append({
            "page_id": pid,
            "site": site,
            "lang": lang,
            "url": url,
            "repo": row["repo"],
            "commit": row["commit"],
            "path": row["path"],
            "extractor": EXTRACTOR,
            "paragraphs": paras,
        })
    # remove html of pages that were skipped in this run
    kept = {r["page_id"].split("/", 1)[1] for r in out}
    for name in os.listdir(os.path.join(collection_dir, "html")):
        if name.endswith(".html.gz") and name[:-8] not in kept:
            os.remove(os.path.join(collection_dir, "html", name))
    out.sort(key=lambda r: r["page_id"])
    with open(os.path.join(collection_dir, "pages.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for pid, why in skipped:
        print("SKIPPED", pid, why)
    sites = sorted({r["site"] for r in out})
    langs = {}
    for r in out:
        langs[r["lang"]] = langs.get(r["lang"], 0) + 1
    print("%s: %d pages, %d sites, langs %s, %s" % (
        collection, len(out), len(sites), langs, EXTRACTOR))
    return out, skipped


def manifest_from_pages(collection_dir):
    """Write a manifest for re-extracting a collection from its own saved HTML."""
    import tempfile
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8") as out, \
            open(os.path.join(collection_dir, "pages.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            short = r["page_id"].split("/", 1)[1]
            row = {k: r[k] for k in ("page_id", "site", "lang", "url", "repo", "commit", "path")}
            row["html_file"] = os.path.join(collection_dir, "html", short + ".html.gz")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) == 3:
        process(sys.argv[1], sys.argv[2])
    elif len(sys.argv) == 2:
        process(sys.argv[1], manifest_from_pages(sys.argv[1]))
    else:
        sys.exit(__doc__)
