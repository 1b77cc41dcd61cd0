#!/usr/bin/env python3
"""Speed of chaff's Python package against fastText's Python predict, on the same paragraphs.

  python3 bench/python_speed.py                 # writes bench/python-speed-results.md
  python3 bench/python_speed.py --articles 1000 --repeat 1 --out-md ''   # quick look

Every paragraph of data/train.csv's articles (48,431 in 5,146 articles) goes through:

- chaff: `Model().label_many(articles, threads=1)` and `threads=2` (whole articles, as chaff
  labels them; the time includes making every paragraph's result dict), and a Python loop of
  `model.label(article)` for reference; chaff is installed into python/.venv from the working
  tree with `pip install .` (python/run-tests.sh makes that virtualenv);
- fastText (`fasttext-numpy2`, bench/.venv, trained on the same paragraphs with compare.py's
  settings but 5 epochs, which do not change prediction cost, as bench/speed.py does):
  `model.predict(paragraphs, k=1)` on one thread; on two Python threads (each predicting half
  the list); and on two processes (a fork-based `multiprocessing.Pool(2)` made before timing,
  each predicting half);
- and, for what Python costs, `chaff-label --threads 1 --output labels` on the same articles as
  a JSONL file (the whole process).

Each system runs in its own virtualenv as a fresh worker process per round (rounds interleaved,
best of --repeat); wall time and CPU time are taken around the call alone. The table goes to
stdout and to --out-md.
"""
import argparse
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CHAFF_VENV = ROOT / "python" / ".venv"
FASTTEXT_VENV = BENCH / ".venv"
DATA = ROOT / "data" / "train.csv"

sys.path.insert(0, str(BENCH))
from speed import Failure, jsonl_line, load1, log, machine, one_line, read_articles, run, wait_for_quiet  # noqa: E402


# --- workers (run inside a virtualenv, print one JSON object) ------------------------------------

def timed(f):
    """(result, wall seconds, CPU seconds of the whole process, all threads) of f()."""
    cpu = time.process_time()
    start = time.perf_counter()
    out = f()
    return out, time.perf_counter() - start, time.process_time() - cpu


def children_cpu():
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def chaff_worker(args):
    import chaff
    articles = [ps for _, ps, _ in read_articles(args.data, args.articles)]
    n = sum(map(len, articles))
    model = chaff.Model()
    model.label_many(articles[:50], threads=2)  # makes the 2-thread pool before timing
    out = {}
    for name, f in [
        ("chaff label_many threads=1", lambda: model.label_many(articles, threads=1)),
        ("chaff label_many threads=2", lambda: model.label_many(articles, threads=2)),
        ("chaff label per article", lambda: [model.label(a) for a in articles]),
    ]:
        result, wall, cpu = timed(f)
        got = sum(map(len, result))
        if got != n:
            raise Failure(f"{name}: {got} results for {n} paragraphs")
        out[name] = dict(wall=wall, cpu=cpu, paragraphs=n)
    print(json.dumps(out))


_FT_MODEL = None


def _ft_load(path):
    global _FT_MODEL
    import fasttext
    _FT_MODEL = fasttext.load_model(path)


def _ft_predict(paragraphs):
    return len(_FT_MODEL.predict(paragraphs, k=1)[0])


def fasttext_worker(args):
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor
    import fasttext
    paragraphs = [one_line(p) for _, ps, _ in read_articles(args.data, args.articles) for p in ps]
    n = len(paragraphs)
    model = fasttext.load_model(str(args.model))
    halves = [paragraphs[: n // 2], paragraphs[n // 2:]]
    threads = ThreadPoolExecutor(2)
    threads.submit(lambda: None).result()
    procs = multiprocessing.get_context("fork").Pool(2, initializer=_ft_load, initargs=(str(args.model),))
    procs.map(_ft_predict, [paragraphs[:10], paragraphs[10:20]])  # workers up before timing
    out = {}
    for name, f in [
        ("fastText predict, 1 thread", lambda: len(model.predict(paragraphs, k=1)[0])),
        ("fastText predict, 2 Python threads",
         lambda: sum(threads.map(lambda h: len(model.predict(h, k=1)[0]), halves))),
        ("fastText predict, 2 processes", lambda: sum(procs.map(_ft_predict, halves, chunksize=1))),
    ]:
        got, wall, cpu = timed(f)
        if got != n:
            raise Failure(f"{name}: {got} predictions for {n} paragraphs")
        out[name] = dict(wall=wall, cpu=cpu, paragraphs=n)
    procs.close()
    procs.join()
    print(json.dumps(out))


def train_fasttext_worker(args):
    import fasttext
    from compare import FASTTEXT
    params = dict(FASTTEXT, epoch=5, seed=0, verbose=0)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for _, ps, labels in read_articles(args.data, args.articles):
            for p, label in zip(ps, labels, strict=True):
                f.write(f"__label__{label} {one_line(p)}\n")
    try:
        fasttext.train_supervised(input=f.name, **params).save_model(str(args.model))
    finally:
        os.unlink(f.name)
    print(json.dumps(dict(params=params)))


# --- the driver ----------------------------------------------------------------------------------

def venv_python(venv, requirements):
    """The virtualenv's Python, (re)made from requirements when missing or stale (the stamp that
    bench/compare.py and bench/speed.py use)."""
    python = venv / "bin" / "python"
    stamp = venv / "requirements.sha256"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        log(f"setting up {venv} from {requirements} ...")
        run([sys.executable, "-m", "venv", "--clear", venv], "creating the virtualenv")
        run([python, "-m", "pip", "install", "--quiet", "-r", requirements], "pip install")
        stamp.write_text(wanted)
    return python


def chaff_python(install):
    """python/.venv's Python, with chaff installed from the working tree."""
    python = CHAFF_VENV / "bin" / "python"
    if not python.exists():
        raise Failure(f"{CHAFF_VENV} is missing: run `bash python/run-tests.sh` once to make it")
    if install:
        log("pip install . into python/.venv (a release build of the extension module) ...")
        env = dict(os.environ, PATH=f"{CHAFF_VENV / 'bin'}:{os.environ['PATH']}")
        proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "--no-build-isolation", "."], cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode:
            raise Failure(f"pip install . failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return python


def worker(python, kind, args, model=None):
    cmd = [python, Path(__file__).resolve(), "worker", kind, "--data", args.data]
    if args.articles:
        cmd += ["--articles", args.articles]
    if model:
        cmd += ["--model", model]
    return json.loads(run(cmd, f"{kind} worker", cwd=ROOT))


def time_binary(label_bin, jsonl, n):
    cmd = [label_bin, "--threads", "1", "--output", "labels", jsonl]
    cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], capture_output=True)
    wall = time.perf_counter() - start
    if proc.returncode or proc.stdout.count(b"\n") != n:
        raise Failure(f"{shlex.join(map(str, cmd))} failed: {proc.stderr.decode()[-2000:]}")
    return dict(wall=wall, cpu=children_cpu() - cpu, paragraphs=n)


def versions(chaff_py, ft_py):
    head = run(["git", "rev-parse", "--short", "HEAD"], "git rev-parse", cwd=ROOT).strip()
    dirty = run(["git", "status", "--porcelain", "--", "src", "python", "Cargo.toml", "Cargo.lock"],
                "git status", cwd=ROOT).strip()
    ask = "import platform, importlib.metadata as m; print(platform.python_version(), *(m.version(p) for p in {}))"
    py, chaff_v = run([chaff_py, "-c", ask.format("['chaff']")], "versions").split()
    _, ft_v, np_v = run([ft_py, "-c", ask.format("['fasttext-numpy2', 'numpy']")], "versions").split()
    return (f"chaff {head}{' plus uncommitted changes' if dirty else ''} (package {chaff_v}, "
            f"`pip install .`, abi3 wheel); Python {py}, fasttext-numpy2 {ft_v}, numpy {np_v}")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "worker":
        ap = argparse.ArgumentParser(prog="python_speed.py worker")
        ap.add_argument("kind", choices=["chaff", "fasttext", "train-fasttext"])
        ap.add_argument("--data", type=Path, default=DATA)
        ap.add_argument("--articles", type=int)
        ap.add_argument("--model", type=Path)
        args = ap.parse_args(sys.argv[2:])
        return {"chaff": chaff_worker, "fasttext": fasttext_worker,
                "train-fasttext": train_fasttext_worker}[args.kind](args)

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, help="use the first N articles of data/train.csv (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many rounds (default %(default)s)")
    ap.add_argument("--no-install", action="store_true", help="measure the chaff already in python/.venv")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait for the 1-minute load to drop to this (default %(default)s)")
    ap.add_argument("--max-wait", type=float, default=600, help="but at most this many seconds (default %(default)s)")
    ap.add_argument("--out-md", default=str(BENCH / "python-speed-results.md"),
                    help="write the Markdown report here ('' for none; default bench/python-speed-results.md)")
    args = ap.parse_args()
    args.data = DATA
    command = shlex.join(["python3", "bench/python_speed.py", *sys.argv[1:]])

    chaff_py = chaff_python(install=not args.no_install)
    ft_py = venv_python(FASTTEXT_VENV, BENCH / "requirements.txt")
    log("cargo build --release --bin chaff-label ...")
    run(["cargo", "build", "--release", "--bin", "chaff-label"], "building chaff-label", cwd=ROOT)
    label_bin = ROOT / "target" / "release" / "chaff-label"

    articles = read_articles(DATA, args.articles)
    n = sum(len(ps) for _, ps, _ in articles)
    with tempfile.TemporaryDirectory(prefix="chaff-python-speed-") as tmp:
        work = Path(tmp)
        jsonl = work / "articles.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for a, ps, _ in articles:
                f.write(jsonl_line(a, ps))
        model = work / "fasttext.bin"
        log(f"{len(articles)} articles, {n} paragraphs; training fastText ...")
        ft_params = worker(ft_py, "train-fasttext", args, model)["params"]

        load_before, waited = wait_for_quiet(args.max_load, args.max_wait)
        log(f"measuring at load {load_before:.2f} (waited {waited:.0f} s)")
        runs = {}
        for i in range(args.repeat):  # interleaved, so a change of load hits every system alike
            for result in (worker(chaff_py, "chaff", args), worker(ft_py, "fasttext", args, model),
                           {"chaff-label --threads 1 (binary, whole process)": time_binary(label_bin, jsonl, n)}):
                for name, r in result.items():
                    runs.setdefault(name, []).append(r)
            log(f"round {i + 1}: " + ", ".join(f"{k} {v[-1]['wall']:.3f} s" for k, v in runs.items()))
        load_after = load1()

    best = {name: min(rs, key=lambda r: r["wall"]) for name, rs in runs.items()}
    ft1 = best["fastText predict, 1 thread"]["wall"]
    rows = [(name, f"{r['paragraphs'] / r['wall']:,.0f}", f"{r['wall']:.3f}", f"{r['cpu']:.3f}", f"{ft1 / r['wall']:.2f}x")
            for name, r in best.items()]
    head = ["measure", "paragraphs/s", "wall s (best)", "CPU s", "vs fastText 1 thread"]
    table = "\n".join("| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *rows])
    print(table)
    c1 = best["chaff label_many threads=1"]["wall"]
    c2 = best["chaff label_many threads=2"]["wall"]
    nproc, cpu, system = machine()
    report = f"""# chaff's Python package against fastText's Python predict

- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}
- machine: `nproc` = {nproc}, {cpu}, {system}
- load (1-minute average): {load_before:.2f} when measuring started (after waiting {waited:.0f} s; limit {args.max_load}), {load_after:.2f} at the end; other work shares the machine
- software: {versions(chaff_py, ft_py)}
- command: `{command}`
- data: {len(articles):,} articles, {n:,} paragraphs of data/train.csv; best of {args.repeat} interleaved rounds

{table}

chaff on one thread labels {ft1 / c1:.2f}x as many paragraphs per second as fastText's `predict`;
two threads are {c1 / c2:.2f}x one thread.

- chaff: `model.label_many(articles, threads=T)` on the articles as lists of paragraphs, results
  as a list of lists of dicts (`label`, `probs`, `kept`, `uncertain`); the time includes taking
  the strings from Python and making every dict (done under the GIL, after the parallel part).
  "label per article" is `[model.label(a) for a in articles]`. CPU s is the process's CPU time
  over all its threads.
- fastText: `model.predict(paragraphs, k=1)` on the same paragraphs with white space folded to
  single spaces, already in a Python list. "2 Python threads" predicts each half of the list on
  a thread of a `ThreadPoolExecutor(2)`; "2 processes" on each worker of a fork-based
  `multiprocessing.Pool(2)` made (and loaded) before timing, so the time includes sending the
  paragraphs to the workers and the labels back; its CPU s is the parent's alone. The model:
  `train_supervised({', '.join(f'{k}={v!r}' for k, v in ft_params.items())})`.
- `chaff-label --threads 1 --output labels` reads the same articles as one JSONL file; its time
  is the whole process (start-up, model load, JSON in and out), as in bench/speed.py.
"""
    if args.out_md:
        Path(args.out_md).write_text(report)
        log(f"wrote {args.out_md}")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError) as e:
        sys.exit(f"python_speed.py: {e}")
