"""chaff.datatrove.ChaffFilter in a DataTrove pipeline, JsonlReader -> ChaffFilter ->
JsonlWriter under LocalPipelineExecutor (two tasks in two worker processes), over a few
hundred articles: the sample articles, every 17th article of data/train.csv, and articles made
of nothing but train.csv's junk paragraphs (which should be dropped)."""

from __future__ import annotations

import csv
import json
from collections import OrderedDict
from pathlib import Path

import pytest
from conftest import ARTICLES, TRAIN_CSV

import chaff

datatrove = pytest.importorskip("datatrove", reason="DataTrove is the optional extra chaff[datatrove]")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from chaff.datatrove import ChaffFilter, restore_document  # noqa: E402


def corpus() -> list[tuple[str, list[str]]]:
    """(id, paragraphs) of every document fed to the pipeline."""
    docs = [(p.name, chaff.split(p.read_text(encoding="utf-8"))[0]) for p in sorted(ARTICLES.glob("*.txt"))]
    articles: OrderedDict[str, list[tuple[int, str, str]]] = OrderedDict()
    with open(TRAIN_CSV, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            articles.setdefault(r["article_id"], []).append((int(r["position"]), r["text"], r["label"]))
    junk_only = 0
    for i, (article_id, rows) in enumerate(articles.items()):
        rows.sort()
        if i % 17 == 0:
            docs.append((article_id, [t for _, t, _ in rows]))
        junk = [t for _, t, label in rows if label != "news"]
        if i % 17 == 1 and len(junk) >= 2 and junk_only < 12:
            docs.append((f"{article_id}-junk-only", junk))
            junk_only += 1
    return docs


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Runs the pipeline once; returns the input, the output, the dropped documents and the
    merged stats."""
    base = tmp_path_factory.mktemp("datatrove")
    docs = corpus()
    originals = {doc_id: "\n\n".join(paragraphs) for doc_id, paragraphs in docs}
    assert len(originals) == len(docs) > 300
    (base / "in").mkdir()
    for shard in range(2):  # one input file per task
        with open(base / "in" / f"part-{shard}.jsonl", "w", encoding="utf-8") as f:
            for doc_id, _ in docs[shard::2]:
                f.write(json.dumps({"id": doc_id, "text": originals[doc_id], "source": "test"}) + "\n")
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(base / "in")),
            ChaffFilter(
                batch_size=50,
                exclusion_writer=JsonlWriter(str(base / "dropped"), compression=None),
            ),
            JsonlWriter(str(base / "out"), compression=None),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(base / "logs"),
    ).run()

    def read(folder: str) -> dict[str, dict]:
        out = {}
        for path in sorted((base / folder).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                record.setdefault("text", "")  # DataTrove's writer leaves out an empty text
                assert record["id"] not in out
                out[record["id"]] = record
        return out

    stats = json.loads((base / "logs" / "stats.json").read_text())
    return dict(docs=docs, originals=originals, out=read("out"), dropped=read("dropped"), stats=stats)


def test_every_document_left_non_empty_is_kept(run):
    model = chaff.Model()
    cleaned = dict(zip(run["originals"], model.clean_many(list(run["originals"].values()))))
    non_empty = {doc_id for doc_id, text in cleaned.items() if text}
    assert set(run["out"]) == non_empty
    assert set(run["dropped"]) == set(run["originals"]) - non_empty
    assert run["dropped"], "some junk-only documents should have been dropped"
    assert all(doc_id.endswith("-junk-only") for doc_id in run["dropped"])
    for doc_id, record in run["out"].items():
        assert record["text"] == cleaned[doc_id], doc_id
        assert record["metadata"]["source"] == "test"  # other fields pass through


def test_metadata_is_chaff_labels_record(run):
    model = chaff.Model()
    for doc_id, record in run["out"].items():
        _, want = model.clean_many_detailed([run["originals"][doc_id]])[0]
        assert record["metadata"]["chaff"] == want, doc_id


def test_reinserting_the_removed_paragraphs_gives_back_every_paragraph(run):
    paragraphs = dict(run["docs"])
    for doc_id, record in {**run["out"], **run["dropped"]}.items():
        restored = chaff.restore(record["text"], record["metadata"]["chaff"])
        assert restored.split("\n\n") == paragraphs[doc_id], doc_id
        assert restored == run["originals"][doc_id], doc_id
        doc = Document(text=record["text"], id=doc_id, metadata=dict(record["metadata"]))
        assert restore_document(doc).text == run["originals"][doc_id]
        assert "chaff" not in doc.metadata


def test_stats_count_kept_and_removed_paragraphs(run):
    step = next(s for s in run["stats"] if "chaff" in s["name"])
    # DataTrove stores a plain count as a number, a stat with values as a dict with "total".
    stats = {k: v if isinstance(v, int) else v["total"] for k, v in step["stats"].items()}
    records = [r["metadata"]["chaff"] for r in {**run["out"], **run["dropped"]}.values()]
    total = sum(len(r["paragraphs"]) for r in records)
    removed = sum(len(r["removed"]) for r in records)
    assert stats["paragraphs"] == total
    assert stats["paragraphs_removed"] == removed > 0
    assert stats["paragraphs_kept"] == total - removed > 0
    by_label: dict[str, int] = {}
    for r in records:
        for p in r["removed"]:
            by_label[p["label"]] = by_label.get(p["label"], 0) + 1
    for label, n in by_label.items():
        assert stats[f"removed_{label}"] == n
    assert stats["dropped"] == stats["dropped_empty"] == len(run["dropped"])
    assert stats["forwarded"] == len(run["out"])
    assert stats["total"] == len(run["docs"])


def test_a_document_cleaned_before_is_left_alone():
    step = ChaffFilter()
    doc = Document(
        text="Shares fell.\n\nRead more: Ten things to know about the new betting rules",
        id="x",
    )
    first = list(step.run(iter([doc])))
    assert [d.text for d in first] == ["Shares fell."]
    record = first[0].metadata["chaff"]
    again = list(step.run(iter(first)))
    assert again[0].metadata["chaff"] is record
    assert step.stats["already_cleaned"].total == 1


def test_a_bad_model_fails_when_the_pipeline_is_built(tmp_path):
    bad = tmp_path / "bad.chaff"
    bad.write_text("not a model")
    with pytest.raises(chaff.ChaffError, match="not a chaff model file"):
        ChaffFilter(bad)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        ChaffFilter(batch_size=0)


def test_the_step_takes_the_decision_rule():
    step = ChaffFilter(keep=["news", "related"], min_keep_prob=0.2)
    assert (step.model.keep, step.model.threshold) == (["news", "related"], 0.2)
