#!/usr/bin/env python3
"""Speed and memory of chaff against the targets of issue 5, in one command.

  python3 bench/speed.py                          # everything; writes bench/speed-results.md
  python3 bench/speed.py --rev HEAD               # measure a committed revision, not the tree
  python3 bench/speed.py --stream-mb 200 --no-train --out-md ''   # quick look, no file written

It runs inside bench/.venv (made from bench/requirements.txt on first use, exactly as
bench/compare.py does; nothing is installed outside it), builds chaff with
`cargo build --release --bins`, waits for the machine to be quiet (1-minute load <= --max-load,
at most --max-wait seconds), then measures, one thing at a time:

1. labelling speed: a JSONL of every article of data/train.csv (paragraphs joined by blank
   lines) through `chaff-label --threads 1 --output labels` and `--threads 2` (wall time of the
   whole process, best of --repeat), against fastText's Python prediction of the same
   paragraphs (`model.predict(list)`, one thread, best of --repeat; the model is trained first
   with compare.py's settings but fewer epochs, which do not change prediction cost);
2. memory: a --stream-mb JSONL stream (the same articles again and again under new ids, made on
   the fly by `speed.py gen`, never written to disk) piped through
   `/usr/bin/time -v chaff-label --output jsonl`: peak RSS and MB/s;
3. training: `chaff-train --data data/train.csv --out TMP` wall time on all cores.

The table, with the targets of issue 5 and pass/fail, goes to stdout and to --out-md.
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
DATA = ROOT / "data" / "train.csv"
LABELS = ("news", "related", "ad")
TARGET_TRAIN_PARAGRAPHS = 50_000


class Failure(Exception):
    """A step failed; the message says which and why."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, what, cwd=None, env=None, stdin=None):
    """Runs cmd, returning its stdout; on failure raises Failure with the tail of its output."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdin=stdin,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise Failure(f"{what} failed (exit {proc.returncode}): {shlex.join(map(str, cmd))}\n{tail}")
    return proc.stdout


def ensure_venv():
    """Re-executes this script with bench/.venv's Python, creating or updating the venv first
    (the same venv, stamp and requirements as bench/compare.py)."""
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
    os.environ.setdefault("SPEED_PY_ARGV", shlex.join(["python3", sys.argv[0], *sys.argv[1:]]))
    os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


# --- data ----------------------------------------------------------------------------------------

def read_articles(path, limit=None):
    """[(article_id, [paragraph, ...], [label, ...])] in order of first appearance, paragraphs
    by position."""
    articles = OrderedDict()
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            articles.setdefault(r["article_id"], []).append((int(r["position"]), r["text"], r["label"]))
    out = []
    for a, ps in articles.items():
        ps.sort(key=lambda p: p[0])
        out.append((a, [t for _, t, _ in ps], [l for _, _, l in ps]))
    return out[:limit] if limit else out


def jsonl_line(article_id, paragraphs):
    return json.dumps({"id": article_id, "text": "\n\n".join(paragraphs)}, ensure_ascii=False) + "\n"


def one_line(text):
    return " ".join(text.split())


def generate(articles, total_bytes, out):
    """Writes JSONL records of `articles` over and over, each round under new ids, until at
    least total_bytes are written; returns the number of bytes written. Each line is encoded once
    and only its id changes, so the generator costs little CPU next to chaff."""
    templates = []
    for article_id, paragraphs, _ in articles:
        aid = json.dumps(article_id, ensure_ascii=False)[1:-1].encode()
        line = jsonl_line(article_id, paragraphs).encode()
        head = b'{"id": "'
        assert line.startswith(head + aid + b'"')
        templates.append((head, aid, line[len(head) + len(aid):]))
    written, round_, chunk = 0, 0, []
    chunk_bytes = 0
    while written < total_bytes:
        prefix = b"r%d-" % round_
        for head, aid, tail in templates:
            piece = b"".join((head, prefix, aid, tail))
            chunk.append(piece)
            chunk_bytes += len(piece)
            if chunk_bytes >= 1 << 20:
                out.write(b"".join(chunk))
                written += chunk_bytes
                chunk, chunk_bytes = [], 0
                if written >= total_bytes:
                    break
        round_ += 1
    if chunk:
        out.write(b"".join(chunk))
        written += chunk_bytes
    out.flush()
    return written


def gen_main(argv):
    ap = argparse.ArgumentParser(prog="speed.py gen",
                                 description="Write a JSONL stream of data/train.csv's articles, repeated under new ids, to stdout.")
    ap.add_argument("--mb", type=float, required=True, help="stop after at least this many MiB")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--bytes-to", type=Path, help="write the number of bytes written to this file")
    args = ap.parse_args(argv)
    try:
        n = generate(read_articles(args.data), int(args.mb * (1 << 20)), sys.stdout.buffer)
    except BrokenPipeError:
        sys.exit("speed.py gen: the reader went away")
    if args.bytes_to:
        args.bytes_to.write_text(str(n))


# --- building ------------------------------------------------------------------------------------

def build(rev, work):
    """Builds chaff's binaries: the working tree, or with rev a `git archive` of that revision in
    work/src (its own target dir). Returns (bin dir, description of what was built)."""
    if rev:
        commit = run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], "git rev-parse", cwd=ROOT).strip()
        src = work / "src"
        src.mkdir(parents=True)
        archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
        run(["tar", "-x", "-C", src], "unpacking git archive", stdin=archive.stdout)
        if archive.wait():
            raise Failure(f"git archive {commit} failed")
        env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target" / "speed-rev"))
        log(f"cargo build --release --bins (revision {commit[:10]}) ...")
        run(["cargo", "build", "--release", "--bins"], "building chaff", cwd=src, env=env)
        return ROOT / "target" / "speed-rev" / "release", f"chaff {commit[:10]} (`--rev {rev}`)"
    log("cargo build --release --bins ...")
    run(["cargo", "build", "--release", "--bins"], "building chaff", cwd=ROOT)
    head = run(["git", "rev-parse", "--short", "HEAD"], "git rev-parse", cwd=ROOT).strip()
    dirty = run(["git", "status", "--porcelain", "--", "src", "models", "Cargo.toml", "Cargo.lock"],
                "git status", cwd=ROOT).strip()
    return ROOT / "target" / "release", f"chaff {head}" + (
        " plus uncommitted changes in src/, models/ or Cargo.*" if dirty else "") + " (working tree)"


# --- measuring -----------------------------------------------------------------------------------

def load1():
    return os.getloadavg()[0]


def wait_for_quiet(max_load, max_wait):
    """Waits until the 1-minute load is at most max_load, or max_wait seconds have passed;
    returns (load when measuring started, seconds waited)."""
    start = time.monotonic()
    while load1() > max_load and time.monotonic() - start < max_wait:
        log(f"load {load1():.2f} > {max_load}; waiting ({time.monotonic() - start:.0f} s of {max_wait} s) ...")
        time.sleep(15)
    return load1(), time.monotonic() - start


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_chaff_label(label_bin, jsonl, threads, expected):
    """Returns (wall seconds, CPU seconds) of one chaff-label run."""
    cmd = [label_bin, "--threads", threads, "--output", "labels", jsonl]
    cpu = children_cpu()
    start = time.perf_counter()
    out = subprocess.run([str(c) for c in cmd], capture_output=True)
    seconds = time.perf_counter() - start
    cpu = children_cpu() - cpu
    if out.returncode:
        raise Failure(f"{shlex.join(map(str, cmd))} failed: {out.stderr.decode()[-2000:]}")
    lines = out.stdout.count(b"\n")
    if lines != expected:
        raise Failure(f"chaff-label wrote {lines} paragraph records, expected {expected}")
    return seconds, cpu


def fasttext_model(articles, work, seed):
    """Trains fastText with compare.py's settings (fewer epochs: prediction cost does not
    depend on them)."""
    import fasttext
    sys.path.insert(0, str(BENCH))
    from compare import FASTTEXT
    params = dict(FASTTEXT, epoch=5, seed=seed, verbose=0)
    path = work / "fasttext-train.txt"
    with open(path, "w", encoding="utf-8") as f:
        for _, paragraphs, labels in articles:
            for p, label in zip(paragraphs, labels, strict=True):
                f.write(f"__label__{label} {one_line(p)}\n")
    start = time.perf_counter()
    model = fasttext.train_supervised(input=str(path), **params)
    log(f"fastText trained in {time.perf_counter() - start:.1f} s")
    return model, params


def time_fasttext(model, paragraphs):
    """Returns (wall seconds, CPU seconds) of one prediction of every paragraph."""
    cpu = time.process_time()
    start = time.perf_counter()
    labels, _ = model.predict(paragraphs, k=1)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if len(labels) != len(paragraphs):
        raise Failure(f"fastText predicted {len(labels)} of {len(paragraphs)} paragraphs")
    return seconds, cpu


def stream_memory(label_bin, mb, work):
    """Pipes an mb-MiB generated JSONL stream through chaff-label --output jsonl under
    /usr/bin/time -v; returns (peak RSS in MiB, MiB/s, seconds, bytes, shell command)."""
    count = work / "stream-bytes"
    gen = [sys.executable, Path(__file__).resolve(), "gen", "--mb", mb, "--bytes-to", count]
    # One stream is one input: allow it whole (chaff-label caps an input at 1 GiB by default).
    cap = int(mb * 1024 * 1024 * 1.1) + (1 << 20)
    label = ["/usr/bin/time", "-v", label_bin, "--output", "jsonl", "--max-input-bytes", cap]
    shown = (f"bench/.venv/bin/python bench/speed.py gen --mb {mb:g} | "
             f"/usr/bin/time -v {shlex.join(map(str, label[2:]))} > /dev/null").replace(str(ROOT) + "/", "")
    script = (f"set -o pipefail; {shlex.join(map(str, gen))} | {shlex.join(map(str, label))} "
              f"> /dev/null 2> {shlex.quote(str(work / 'time.txt'))}")
    start = time.perf_counter()
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    report = (work / "time.txt").read_text() if (work / "time.txt").exists() else ""
    if proc.returncode:
        raise Failure(f"stream run failed (exit {proc.returncode}): {proc.stderr[-1500:]}\n{report[-1500:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    if not m:
        raise Failure(f"no peak RSS in /usr/bin/time's report:\n{report}")
    n = int(count.read_text())
    return int(m.group(1)) / 1024, n / (1 << 20) / seconds, seconds, n, shown


def time_training(train_bin, work):
    out = work / "x.chaff"
    cmd = [train_bin, "--data", DATA, "--out", out]
    start = time.perf_counter()
    run(cmd, "chaff-train")
    return time.perf_counter() - start


# --- the report ----------------------------------------------------------------------------------

def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = run(["nproc"], "nproc").strip()
    return nproc, cpu, f"{platform.system()} {platform.release()}"


def markdown(rows, meta):
    table = ["| measure | result | target (issue 5) | pass |", "| --- | --- | --- | --- |"]
    table += [f"| {m} | {r} | {t} | {p} |" for m, r, t, p in rows]
    details = "\n".join(f"- {line}" for line in meta["details"])
    return f"""# chaff speed and memory

- date: {meta['date']}
- machine: `nproc` = {meta['nproc']}, {meta['cpu']}, {meta['os']}, {meta['mem']}
- load (1-minute average): {meta['load']}
- software: {meta['software']}
- command: `{meta['command']}`

{chr(10).join(table)}

{details}
"""


def pass_fail(ok):
    return "pass" if ok else "**FAIL**"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "gen":
        return gen_main(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, help="use the first N articles of data/train.csv (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default %(default)s)")
    ap.add_argument("--stream-mb", type=float, default=2048, help="size of the memory-test stream in MiB (default %(default)s)")
    ap.add_argument("--no-train", action="store_true", help="skip the training-time measure")
    ap.add_argument("--rev", help="measure this git revision (archived and built apart) instead of the working tree")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait for the 1-minute load to drop to this (default %(default)s)")
    ap.add_argument("--max-wait", type=float, default=600, help="but at most this many seconds (default %(default)s)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-md", default=str(BENCH / "speed-results.md"),
                    help="write the Markdown report here ('' for none; default bench/speed-results.md)")
    args = ap.parse_args()
    ensure_venv()
    command = os.environ.get("SPEED_PY_ARGV", shlex.join(["python3", sys.argv[0], *sys.argv[1:]]))
    command = command.replace(str(ROOT) + "/", "")

    with tempfile.TemporaryDirectory(prefix="chaff-speed-") as tmp:
        work = Path(tmp)
        bins, software = build(args.rev, work)
        label_bin, train_bin = bins / "chaff-label", bins / "chaff-train"

        articles = read_articles(DATA, args.articles)
        paragraphs = [one_line(p) for _, ps, _ in articles for p in ps]
        n = len(paragraphs)
        jsonl = work / "articles.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for a, ps, _ in articles:
                f.write(jsonl_line(a, ps))
        log(f"{len(articles)} articles, {n} paragraphs, {jsonl.stat().st_size / 1e6:.1f} MB of JSONL")
        model, ft_params = fasttext_model(articles, work, args.seed)

        load_before, waited = wait_for_quiet(args.max_load, args.max_wait)
        log(f"measuring at load {load_before:.2f} (waited {waited:.0f} s)")
        loads = [load_before]
        chaff1, chaff2, ft = [], [], []
        for i in range(args.repeat):  # interleaved, so a change of load hits all three alike
            chaff1.append(time_chaff_label(label_bin, jsonl, 1, n))
            chaff2.append(time_chaff_label(label_bin, jsonl, 2, n))
            ft.append(time_fasttext(model, paragraphs))
            log(f"run {i + 1} (wall/CPU s): chaff 1 thread {chaff1[-1][0]:.3f}/{chaff1[-1][1]:.3f}, "
                f"2 threads {chaff2[-1][0]:.3f}/{chaff2[-1][1]:.3f}, fastText {ft[-1][0]:.3f}/{ft[-1][1]:.3f}")
        loads.append(load1())
        best = lambda runs, k: min(r[k] for r in runs)
        c1, c2, f1 = n / best(chaff1, 0), n / best(chaff2, 0), n / best(ft, 0)
        c1_cpu, f1_cpu = n / best(chaff1, 1), n / best(ft, 1)

        log(f"streaming {args.stream_mb:g} MiB through chaff-label --output jsonl ...")
        rss, mbps, stream_s, stream_bytes, stream_cmd = stream_memory(label_bin, args.stream_mb, work)
        log(f"peak RSS {rss:.1f} MiB, {mbps:.1f} MiB/s")
        loads.append(load1())

        train_s = None
        if not args.no_train:
            log("chaff-train --data data/train.csv ...")
            train_s = time_training(train_bin, work)
            log(f"trained in {train_s:.1f} s")
            loads.append(load1())

    from importlib.metadata import version
    with open(DATA, newline="", encoding="utf-8") as f:
        n_train = sum(1 for _ in csv.DictReader(f))
    rows = [
        ("chaff 1 thread (`--threads 1 --output labels`)", f"{c1:,.0f} paragraphs/s ({best(chaff1, 0):.3f} s)", "-", "-"),
        ("chaff 2 threads (`--threads 2 --output labels`)", f"{c2:,.0f} paragraphs/s ({best(chaff2, 0):.3f} s)", "-", "-"),
        ("fastText `model.predict(list)`, 1 thread", f"{f1:,.0f} paragraphs/s ({best(ft, 0):.3f} s)", "-", "-"),
        ("chaff 1 thread / fastText (wall time)", f"{c1 / f1:.2f}x", ">= 2x", pass_fail(c1 / f1 >= 2)),
        ("the same in CPU time (less sensitive to load; not the target)",
         f"{c1_cpu / f1_cpu:.2f}x ({c1_cpu:,.0f} vs {f1_cpu:,.0f} paragraphs per CPU-second)", "-", "-"),
        ("chaff 2 threads / chaff 1 thread (wall time)", f"{c2 / c1:.2f}x", ">= 1.8x", pass_fail(c2 / c1 >= 1.8)),
        (f"peak RSS, {stream_bytes / 1e9:.2f} GB JSONL stream (`--output jsonl`, all cores)",
         f"{rss:.0f} MiB", "< 200 MB", pass_fail(rss * (1 << 20) < 200e6)),
        ("stream throughput", f"{mbps:.1f} MiB/s ({stream_s:.0f} s)", "-", "-"),
    ]
    if train_s is not None:
        scaled = train_s * TARGET_TRAIN_PARAGRAPHS / n_train
        rows.append((f"training, `chaff-train` on data/train.csv ({n_train:,} paragraphs), all cores",
                     f"{train_s:.1f} s (scaled to 50,000: {scaled:.1f} s)", "< 60 s for 50,000",
                     pass_fail(scaled < 60)))
    mem = "unknown memory"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / (1 << 20):.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    nproc, cpu, os_name = machine()
    meta = dict(
        date=f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
        nproc=nproc, cpu=cpu, os=os_name, mem=mem,
        load=f"{loads[0]:.2f} when measuring started (after waiting {waited:.0f} s; limit {args.max_load:g}), "
             + ", ".join(f"{l:.2f}" for l in loads[1:]) + " after each later step; other work shares the machine",
        software=f"{software}; Python {platform.python_version()}, fasttext-numpy2 {version('fasttext-numpy2')}, numpy {version('numpy')}",
        command=command,
        details=[
            f"Speed input: {len(articles):,} articles, {n:,} paragraphs of data/train.csv as one JSONL file "
            "(`{\"id\", \"text\"}`, paragraphs joined by blank lines). chaff's time is the whole process "
            "(start-up, model load, reading and parsing the JSONL, labelling, writing the JSONL labels "
            f"to a pipe), best of {args.repeat}. CPU time is the process's user + system time "
            "(getrusage of the child); fastText's is the Python process's CPU time around `predict`.",
            "fastText's time is `model.predict(paragraphs, k=1)` alone on the same paragraphs already "
            "in a Python list (white space folded to single spaces; fastText's prediction is one "
            f"thread), best of {args.repeat}, interleaved with chaff's runs. The model: "
            f"`train_supervised({', '.join(f'{k}={v!r}' for k, v in ft_params.items())})` on the same "
            "paragraphs (compare.py's settings; 5 epochs, which do not change prediction cost).",
            f"Memory: `{stream_cmd}`: the articles again and again under new ids, generated on the fly "
            f"({stream_bytes:,} bytes); peak RSS is /usr/bin/time's \"Maximum resident set size\" of "
            "chaff-label; MiB/s is bytes over the pipeline's wall time (the generator shares the 2 cores).",
        ],
    )
    if train_s is not None:
        meta["details"].append(
            "Training: `chaff-train --data data/train.csv --out /tmp/x.chaff` (default 3-fold cross-"
            "validation plus the final fit), wall time, once; the target is for 50,000 paragraphs, so "
            "the time is scaled linearly to 50,000 for pass/fail.")
    report = markdown(rows, meta)
    print(report)
    if args.out_md:
        Path(args.out_md).write_text(report)
        log(f"wrote {args.out_md}")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError) as e:
        sys.exit(f"speed.py: {e}")
