"""Shared fixtures: the repository's paths, the chaff-label binary the Python answers are
checked against, and the built-in model."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import chaff

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "data" / "articles"
TRAIN_CSV = ROOT / "data" / "train.csv"


@pytest.fixture(scope="session")
def chaff_label() -> Path:
    """The chaff-label binary: $CHAFF_LABEL, or target/release/chaff-label (python/run-tests.sh
    builds it first)."""
    path = Path(os.environ.get("CHAFF_LABEL", ROOT / "target" / "release" / "chaff-label"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `cargo build --release --bin chaff-label` first")
    return path


def run_label(binary: Path, *args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """Runs chaff-label from the repository root (so `doc` paths read data/articles/...)."""
    return subprocess.run(
        [str(binary), *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


def run_label_ok(binary: Path, *args: str | os.PathLike[str]) -> str:
    proc = run_label(binary, *args)
    assert proc.returncode == 0, f"chaff-label {args} failed: {proc.stderr}"
    return proc.stdout


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="session")
def model() -> chaff.Model:
    return chaff.Model()


@pytest.fixture(scope="session")
def article_paths() -> list[Path]:
    paths = sorted(ARTICLES.glob("*.txt"))
    assert len(paths) >= 20, f"expected the sample articles in {ARTICLES}"
    return paths


def rounded(p: float) -> float:
    """A probability rounded as chaff-label's JSONL rounds it: `(p * 1e6).round() / 1e6` in
    f64, halves away from zero (Python's round() would round halves to even)."""
    x = p * 1e6
    whole = float(int(x))  # p >= 0, so this is the floor
    return (whole + 1.0 if x - whole >= 0.5 else whole) / 1e6
