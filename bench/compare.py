#!/usr/bin/env python3
"""Compare chaff with two plain paragraph classifiers trained on the same CSV.

  python3 bench/compare.py --train TRAIN.csv --test TEST.csv
  python3 bench/compare.py --loso data/train.csv [--out-md bench/compare-results.md]
  python3 bench/compare.py --leave-site-out data/train.csv [--folds 5] [--out-md FILE]

The baselines are fastText (supervised, word bigrams, character 2-5-grams) and scikit-learn
(TF-IDF word 1-2-grams + char_wb 2-5-grams, logistic regression). They see one paragraph at a
time; chaff sees the article. All three are scored from a confusion matrix over the held-out
paragraphs in the same way (chaff's from `chaff-label --eval --report-json`).

Runs inside bench/.venv, made on first use from bench/requirements.txt; nothing is installed
outside it. Builds chaff with `cargo build --release` first (a no-op when it is up to date).
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv"
REQUIREMENTS = ROOT / "bench" / "requirements.txt"
COLUMNS = ("article_id", "position", "text", "label", "source")
LABELS = ["news", "related", "ad", "boilerplate"]  # narrowed to the labels the data has
SYSTEMS = ("chaff", "fasttext", "sklearn")
FASTTEXT = dict(epoch=25, lr=0.5, dim=50, wordNgrams=2, minn=2, maxn=5, loss="softmax", thread=1)
CHAFF_ARGS = []  # extra chaff-train flags (--chaff-args)


class Failure(Exception):
    """A step failed; the message says which and why."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, what, cwd=None):
    """Runs cmd, returning its stdout; on failure raises Failure with the tail of its output."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise Failure(f"{what} failed (exit {proc.returncode}): {shlex.join(map(str, cmd))}\n{tail}")
    return proc.stdout


# --- the virtualenv ------------------------------------------------------------------------------

def ensure_venv():
    """Re-executes this script with bench/.venv's Python, creating or updating the venv first."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    stamp = VENV / "requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        log(f"setting up {VENV} from {REQUIREMENTS.name} ...")
        run([sys.executable, "-m", "venv", "--clear", VENV], "creating the virtualenv")
        run([python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], "pip install")
        stamp.write_text(wanted)
    os.environ["COMPARE_PY_ARGV0"] = sys.argv[0]
    os.execv(python, [str(python), str(Path(sys.argv[0]).resolve()), *sys.argv[1:]])


# --- data ----------------------------------------------------------------------------------------

def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise Failure(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = list(reader)
    bad = Counter(r["label"] for r in rows if r["label"] not in LABELS)
    if bad:
        raise Failure(f"{path}: unknown label(s) {dict(bad)}; expected {', '.join(LABELS)}")
    if not rows:
        raise Failure(f"{path}: no rows")
    present = {r["label"] for r in rows}
    LABELS[:] = [l for l in LABELS if l in present]
    global EXTRA
    EXTRA = [c for c in reader.fieldnames if c not in COLUMNS]
    return rows


EXTRA = []  # columns beyond COLUMNS (site, lang, origin), carried into the per-fold CSVs


def write_rows(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS) + EXTRA, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def limit_articles(rows, n, seed):
    """Keeps n whole articles, chosen by a seeded hash of their ids (same input, same choice)."""
    if not n:
        return rows
    ids = sorted({r["article_id"] for r in rows},
                 key=lambda a: hashlib.sha256(f"{seed}:{a}".encode()).hexdigest())
    keep = set(ids[:n])
    return [r for r in rows if r["article_id"] in keep]


# --- scoring -------------------------------------------------------------------------------------

def confusion_of(gold, predicted):
    conf = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        conf[g][p] = conf[g].get(p, 0) + 1
    return conf


def metrics(conf):
    """Per-label precision/recall/F1 from conf[gold][predicted]; macro-F1 is the mean F1 over
    the labels. A label with no gold and no predicted paragraphs has no recall or F1 and is left
    out of the mean."""
    per = {}
    for label in LABELS:
        tp = conf.get(label, {}).get(label, 0)
        support = sum(conf.get(label, {}).values())
        predicted = sum(row.get(label, 0) for row in conf.values())
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else None
        f1 = None if support == predicted == 0 else (2 * tp / (support + predicted))
        per[label] = dict(precision=p, recall=r, f1=f1, support=support)
    f1s = [m["f1"] for m in per.values() if m["f1"] is not None]
    return dict(macro_f1=sum(f1s) / len(f1s), labels=per)


def removed_shares(conf):
    """For each junk label (all but news), the share of its paragraphs not labelled news:
    removed from the cleaned article, whichever junk label they got."""
    out = {}
    for label in LABELS:
        if label == "news":
            continue
        support = sum(conf.get(label, {}).values())
        out[label] = 1 - conf.get(label, {}).get("news", 0) / support if support else None
    return out


def pooled_rows(results, systems):
    """One row per system with the folds' confusion matrices added up."""
    pooled = []
    for system in systems:
        rs = [r for r in results if r["system"] == system]
        if any("error" in r for r in rs):
            continue
        conf = {g: {p: 0 for p in LABELS} for g in LABELS}
        for r in rs:
            for g, row in r["confusion"].items():
                for p, n in row.items():
                    conf.setdefault(g, {}).setdefault(p, 0)
                    conf[g][p] += n
        m = metrics(conf)
        pooled.append(dict(held_out="pooled", system=system, rows=sum(r["rows"] for r in rs),
                           train_s=sum(r["train_s"] for r in rs) / len(rs),
                           test_s=sum(r["test_s"] for r in rs) / len(rs),
                           confusion=conf, removed=removed_shares(conf), **m))
    return pooled


def site_folds(rows, k, seed, source):
    """The sites of the real pages (rows of `source`) dealt into k folds by a seeded hash (same
    input, same folds)."""
    sites = sorted({r["site"] for r in rows if r["source"] == source and r.get("origin") == "real"},
                   key=lambda s: hashlib.sha256(f"{seed}:{s}".encode()).hexdigest())
    return [set(sites[i::k]) for i in range(k)]


# --- the three systems ---------------------------------------------------------------------------
# Each takes (train.csv, test.csv, train rows, test rows, work dir, seed) and returns
# (confusion, train seconds, test seconds).

def one_line(text):
    return " ".join(text.split())


def run_fasttext(train_csv, test_csv, train, test, work, seed):
    import fasttext
    path = work / "fasttext-train.txt"
    with open(path, "w", encoding="utf-8") as f:
        for r in train:
            f.write(f"__label__{r['label']} {one_line(r['text'])}\n")
    start = time.perf_counter()
    model = fasttext.train_supervised(input=str(path), seed=seed, verbose=0, **FASTTEXT)
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    labels, _ = model.predict([one_line(r["text"]) for r in test], k=1)
    test_s = time.perf_counter() - start
    predicted = [ls[0].removeprefix("__label__") if ls else "news" for ls in labels]
    return confusion_of([r["label"] for r in test], predicted), train_s, test_s


def sklearn_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    return make_pipeline(
        FeatureUnion([
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]),
        LogisticRegression(max_iter=1000),
    )


def run_sklearn(train_csv, test_csv, train, test, work, seed):
    model = sklearn_pipeline()
    start = time.perf_counter()
    model.fit([r["text"] for r in train], [r["label"] for r in train])
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    predicted = model.predict([r["text"] for r in test])
    test_s = time.perf_counter() - start
    return confusion_of([r["label"] for r in test], list(predicted)), train_s, test_s


def chaff_bin(name):
    return ROOT / "target" / "release" / name


def build_chaff(always):
    """Builds the binaries when they are missing, and with always=True every time (a no-op when
    they are up to date), so the run measures the working tree's chaff."""
    missing = not (chaff_bin("chaff-train").exists() and chaff_bin("chaff-label").exists())
    if always or missing:
        log("cargo build --release ...")
        run(["cargo", "build", "--release", "--bins"], "building chaff", cwd=ROOT)


def run_chaff(train_csv, test_csv, train, test, work, seed):
    model, report = work / "chaff.model", work / "chaff-eval.json"
    start = time.perf_counter()
    run([chaff_bin("chaff-train"), "--data", train_csv, "--out", model, "--seed", seed, *CHAFF_ARGS],
        "chaff-train")
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    run([chaff_bin("chaff-label"), "--model", model, "--eval", test_csv, "--report-json", report],
        "chaff-label --eval")
    test_s = time.perf_counter() - start
    result = json.loads(report.read_text())
    conf = result["confusion"]
    scored = sum(sum(row.values()) for row in conf.values())
    if scored != len(test):
        raise Failure(f"chaff-label scored {scored} paragraphs of {len(test)} in {test_csv}")
    ours = metrics(conf)["macro_f1"]
    if abs(ours - result["macro_f1"]) > 1e-6:
        log(f"note: chaff reports macro-F1 {result['macro_f1']:.4f}, recomputed {ours:.4f}")
    return conf, train_s, test_s


RUNNERS = dict(chaff=run_chaff, fasttext=run_fasttext, sklearn=run_sklearn)


def compare(train, test, work, systems, seed, held_out=None):
    """Trains and scores each system on (train, test); returns one result row per system. A
    system that fails gets a row with its error, and the others still run."""
    work.mkdir(parents=True, exist_ok=True)
    train_csv, test_csv = work / "train.csv", work / "test.csv"
    write_rows(train, train_csv)
    write_rows(test, test_csv)
    results = []
    for system in systems:
        where = f"[{held_out}] " if held_out else ""
        log(f"{where}{system}: training on {len(train)} paragraphs, scoring {len(test)} ...")
        try:
            conf, train_s, test_s = RUNNERS[system](train_csv, test_csv, train, test, work, seed)
        except Exception as e:  # recorded in the table and reported at the end
            error = str(e) if isinstance(e, Failure) else f"{type(e).__name__}: {e}"
            log(f"{where}{system}: FAILED: {error}")
            results.append(dict(held_out=held_out, system=system, rows=len(test), error=error))
            continue
        m = metrics(conf)
        log(f"{where}{system}: macro-F1 {m['macro_f1']:.4f}, train {train_s:.1f} s")
        results.append(dict(held_out=held_out, system=system, rows=len(test), train_s=train_s,
                            test_s=test_s, confusion=conf, removed=removed_shares(conf), **m))
    return results


# --- the table -----------------------------------------------------------------------------------

def mean_rows(results, systems):
    means = []
    for system in systems:
        rs = [r for r in results if r["system"] == system]
        if any("error" in r for r in rs):
            means.append(dict(held_out="mean", system=system, rows=sum(r["rows"] for r in rs),
                              error="not every source ran"))
            continue
        def avg(values):
            values = [v for v in values if v is not None]
            return sum(values) / len(values) if values else None
        labels = {l: dict(recall=avg(r["labels"][l]["recall"] for r in rs)) for l in LABELS}
        means.append(dict(held_out="mean", system=system, rows=sum(r["rows"] for r in rs),
                          macro_f1=avg(r["macro_f1"] for r in rs), labels=labels,
                          train_s=avg(r["train_s"] for r in rs), test_s=avg(r["test_s"] for r in rs)))
    return means


def table(results, loso):
    junk = [l for l in LABELS if l != "news"]
    head = (["held out"] if loso else []) + ["system", "paragraphs", "macro-F1"] + \
        [f"{l} recall" for l in LABELS] + [f"{l} removed" for l in junk] + ["train s", "test s"]
    body = []
    for r in results:
        cells = [r["held_out"]] if loso else []
        cells += [r["system"], str(r["rows"])]
        if "error" in r:
            body.append(cells + ["FAILED"] + ["-"] * (len(head) - len(cells) - 1))
            continue
        cells.append(f"{r['macro_f1']:.4f}")
        cells += ["-" if r["labels"][l]["recall"] is None else f"{r['labels'][l]['recall']:.4f}"
                  for l in LABELS]
        cells += ["-" if r.get("removed", {}).get(l) is None else f"{r['removed'][l]:.4f}"
                  for l in junk]
        cells += [f"{r['train_s']:.1f}", f"{r['test_s']:.2f}"]
        body.append(cells)
    return head, body


def format_text(head, body):
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    line = lambda cells: "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, body)])


def format_markdown(head, body):
    rows = [head, ["---"] * len(head), *body]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (`nproc`: {run(['nproc'], 'nproc').strip()}), {cpu}, {platform.system()} {platform.release()}"


def versions():
    from importlib.metadata import version
    chaff = run(["git", "rev-parse", "--short", "HEAD"], "git rev-parse", cwd=ROOT).strip()
    dirty = run(["git", "status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock"],
                "git status", cwd=ROOT).strip()
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("fasttext-numpy2", "scikit-learn", "numpy"))
    return f"chaff {chaff}{' (with uncommitted changes in src/)' if dirty else ''}; " \
           f"Python {platform.python_version()}, {pkgs}"


def file_state(path):
    """The file's checksum, and whether git has it as committed."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    proc = subprocess.run(["git", "status", "--porcelain", "--", path.resolve()], cwd=ROOT,
                          capture_output=True, text=True)
    state = "" if proc.returncode else (", as committed" if not proc.stdout.strip() else ", not as committed")
    return f"sha256 {digest}{state}"


def markdown_report(head, body, args, data_desc, errors):
    argv0 = os.environ.get("COMPARE_PY_ARGV0", sys.argv[0])
    command = shlex.join(["python3", argv0, *sys.argv[1:]])
    if args.leave_site_out:
        scope = ("Each fold holds out a fifth of the real pages' sites: every row of those sites is left\n"
                 "out of training (augmentation rows come from other corpora), and the held-out sites'\n"
                 "real pages are scored. `pooled` adds the folds' confusion matrices; `mean` averages\n"
                 "the folds. `X removed` is the share of gold-X paragraphs not labelled news.")
    elif args.loso:
        scope = ("Each row trains on the other sources and scores every paragraph of the held-out one;\n"
                 "`mean` is the unweighted mean over held-out sources.")
    else:
        scope = "Each system trains on the train CSV and scores every paragraph of the test CSV."
    failures = "".join(f"\n**Failed**: {' / '.join(e.splitlines())}\n" for e in errors)
    return f"""# chaff vs fastText vs scikit-learn

- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}
- machine: {machine()}
- software: {versions()}
- command: `{command}`
- data: {data_desc}

{format_markdown(head, body)}
{failures}
{scope}
Recall is per gold label; macro-F1 is the mean F1 over the labels, computed from each
system's confusion matrix in the same way. `train s` and `test s` are wall seconds.

- chaff: `chaff-train --seed {args.seed}{' ' + args.chaff_args if args.chaff_args else ''}` with its defaults (train s is the whole run: 3-fold
  cross-validation plus the final fit, on all cores), then `chaff-label --eval` (test s
  includes loading the model).
- fastText: `train_supervised({', '.join(f'{k}={v!r}' for k, v in FASTTEXT.items())}, seed={args.seed})`
  on whitespace-normalised paragraphs.
- scikit-learn: TF-IDF word 1-2-grams + char_wb 2-5-grams (sublinear tf, min_df=2), then
  `LogisticRegression(max_iter=1000)`.
"""


# --- main ----------------------------------------------------------------------------------------

def write_report(out_md, text, lines, png):
    """Writes a benchmark's Markdown report (its table `lines` inside `text`) and prints the table."""
    out_md.write_text(text)
    print("\n".join(lines))
    log(f"wrote {out_md} and {png}")


def entry(main, name):
    """Runs a benchmark script's `main`, ending with its name and the reason on a failure."""
    try:
        main()
    except (Failure, OSError) as e:
        sys.exit(f"{name}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--train", type=Path, help="training CSV (with --test)")
    mode.add_argument("--loso", type=Path, metavar="CSV", help="leave-one-source-out over CSV")
    mode.add_argument("--leave-site-out", type=Path, metavar="CSV",
                      help="the real pages' sites in --folds folds: train on everything outside a "
                           "fold's sites, score that fold's real pages")
    ap.add_argument("--folds", type=int, default=5, help="folds of sites for --leave-site-out")
    ap.add_argument("--pages-source", default="pages",
                    help="the `source` of the real pages whose sites --leave-site-out holds out")
    ap.add_argument("--test", type=Path, help="held-out CSV scored by every system")
    ap.add_argument("--out-md", type=Path, help="also write the table as Markdown here")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of %(default)s")
    ap.add_argument("--limit-articles", type=int, metavar="N",
                    help="keep N whole articles per CSV (per source with --loso), chosen by seed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, help="keep the intermediate files here (default: a temp dir)")
    ap.add_argument("--no-build", action="store_true", help="don't rebuild chaff when its binaries exist")
    ap.add_argument("--chaff-args", default="", help="extra chaff-train flags, one string")
    args = ap.parse_args()
    CHAFF_ARGS.extend(shlex.split(args.chaff_args))
    if args.train and not args.test:
        ap.error("--train needs --test")
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if not systems or set(systems) - set(SYSTEMS):
        ap.error(f"--systems: choose from {', '.join(SYSTEMS)}")

    ensure_venv()
    if "chaff" in systems:
        build_chaff(always=not args.no_build)

    with tempfile.TemporaryDirectory(prefix="chaff-compare-") as tmp:
        work = args.work or Path(tmp)
        if args.leave_site_out:
            rows = read_rows(args.leave_site_out)
            if not {"site", "origin"} <= set(EXTRA):
                raise Failure(f"{args.leave_site_out}: --leave-site-out needs `site` and `origin` columns")
            results = []
            for i, sites in enumerate(site_folds(rows, args.folds, args.seed, args.pages_source)):
                train = [r for r in rows if r["site"] not in sites]
                test = [r for r in rows if r["site"] in sites and r["origin"] == "real"
                        and r["source"] == args.pages_source]
                name = f"fold {i + 1} ({len(sites)} sites)"
                results += compare(train, test, work / f"fold{i + 1}", systems, args.seed, held_out=name)
            results += pooled_rows(results, systems) + mean_rows(results, systems)
            real = [r for r in rows if r["origin"] == "real" and r["source"] == args.pages_source]
            data_desc = f"`{args.leave_site_out}` ({file_state(args.leave_site_out)}), " \
                        f"{len(real)} real paragraphs from {len({r['site'] for r in real})} sites " \
                        f"in {args.folds} folds of sites (seed {args.seed}), {len(rows)} rows in all"
        elif args.loso:
            rows = read_rows(args.loso)
            sources = sorted({r["source"] for r in rows})
            if len(sources) < 2:
                raise Failure(f"{args.loso}: --loso needs at least two sources, found {sources}")
            if args.limit_articles:
                rows = [r for s in sources for r in
                        limit_articles([r for r in rows if r["source"] == s], args.limit_articles, args.seed)]
            results = []
            for source in sources:
                train = [r for r in rows if r["source"] != source]
                test = [r for r in rows if r["source"] == source]
                results += compare(train, test, work / source, systems, args.seed, held_out=source)
            results += mean_rows(results, systems)
            counts = Counter(r["source"] for r in rows)
            data_desc = f"`{args.loso}` ({file_state(args.loso)}), " + \
                ", ".join(f"{s} {counts[s]}" for s in sources) + " paragraphs"
        else:
            train = limit_articles(read_rows(args.train), args.limit_articles, args.seed)
            test = limit_articles(read_rows(args.test), args.limit_articles, args.seed)
            results = compare(train, test, work, systems, args.seed)
            data_desc = f"train `{args.train}` ({file_state(args.train)}; {len(train)} paragraphs), " \
                        f"test `{args.test}` ({file_state(args.test)}; {len(test)} paragraphs)"

    errors = [f"{r['system']} on {r['held_out'] or args.test}: {r['error']}"
              for r in results if "error" in r and r["held_out"] != "mean"]
    head, body = table(results, loso=bool(args.loso or args.leave_site_out))
    print(format_text(head, body))
    if args.out_md:
        args.out_md.write_text(markdown_report(head, body, args, data_desc, errors))
        log(f"wrote {args.out_md}")
    if errors:
        raise Failure(f"{len(errors)} run(s) failed:\n" + "\n".join(errors))


if __name__ == "__main__":
    entry(main, "compare.py")
