"""Cleaning is chaff-label's: `clean` equals `chaff-label --output clean` file by file, and the
record of `clean_many_detailed` equals the `chaff` field of `chaff-label --output jsonl`."""

from __future__ import annotations

import json

import pytest
from conftest import read_jsonl, run_label_ok

import chaff


def test_clean_equals_chaff_label_output_clean(model, chaff_label, article_paths):
    for path in article_paths:
        want = run_label_ok(chaff_label, "--output", "clean", f"data/articles/{path.name}")
        text = path.read_text(encoding="utf-8")
        # chaff-label ends each cleaned article with a line break.
        assert model.clean(text) + "\n" == want, path.name


def test_clean_many_equals_clean(model, article_paths):
    texts = [p.read_text(encoding="utf-8") for p in article_paths]
    want = [model.clean(t) for t in texts]
    for threads in (None, 1, 2):
        assert model.clean_many(texts, threads) == want
    assert [t for t, _ in model.clean_many_detailed(texts)] == want


def test_layouts_are_kept(model):
    junk = "Read more: Ten things to know about the new betting rules"
    news = [
        "Shares in the bookmaker fell 5% after the regulator's ruling on Tuesday.",
        "The company said it would appeal against the decision in the coming weeks.",
    ]
    by_line = "\n".join([news[0], junk, news[1]])
    assert model.clean(by_line) == "\n".join(news)
    by_blank_line = "\n\n".join([news[0], junk, news[1]])
    assert model.clean(by_blank_line) == "\n\n".join(news)
    assert chaff.split(by_line) == ([news[0], junk, news[1]], "\n")
    assert chaff.split(by_blank_line) == ([news[0], junk, news[1]], "\n\n")


def test_detailed_record_equals_chaff_label_jsonl(model, chaff_label, article_paths, tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in article_paths]
    jsonl = tmp_path / "articles.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for p, t in zip(article_paths, texts):
            f.write(json.dumps({"id": p.name, "text": t}) + "\n")
    want = read_jsonl(run_label_ok(chaff_label, "--output", "jsonl", jsonl))
    got = model.clean_many_detailed(texts, threads=2)
    assert len(got) == len(want) == len(texts)
    for (text, record), w in zip(got, want):
        assert text == w["text"], w["id"]
        assert record == w["chaff"], w["id"]
        assert list(record) == ["separator", "paragraphs", "removed"]


def test_restore_puts_every_paragraph_back(model, article_paths):
    texts = [p.read_text(encoding="utf-8") for p in article_paths]
    removed = 0
    for original, (text, record) in zip(texts, model.clean_many_detailed(texts)):
        restored = chaff.restore(text, record)
        assert chaff.split(restored) == chaff.split(original)
        removed += len(record["removed"])
    assert removed > 0


def test_restore_refuses_a_record_of_another_text(model):
    text = "Shares fell.\n\nRead more: Ten things to know about the new betting rules"
    cleaned, record = model.clean_many_detailed([text])[0]
    with pytest.raises(ValueError, match="does not belong to this text"):
        chaff.restore(cleaned + "\n\nAnother paragraph.", record)
    with pytest.raises(ValueError, match="separator"):
        chaff.restore(cleaned, {"removed": []})
