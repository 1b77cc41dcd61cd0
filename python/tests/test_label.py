"""The Python answers are chaff-label's: labels, kept, uncertain and probabilities (to the six
decimals its JSONL prints) on every paragraph of data/articles/, one article at a time and many
at once, on one thread or several."""

from __future__ import annotations

import threading
from collections import defaultdict

import pytest
from conftest import read_jsonl, rounded, run_label_ok

import chaff


@pytest.fixture(scope="module")
def expected(chaff_label, article_paths):
    """chaff-label's JSONL on data/articles/, grouped by file: {path: [record, ...]}."""
    records = read_jsonl(run_label_ok(chaff_label, "data/articles/"))
    by_doc = defaultdict(list)
    for r in records:
        by_doc[r["doc"]].append(r)
    assert sorted(by_doc) == [f"data/articles/{p.name}" for p in article_paths]
    for rs in by_doc.values():
        assert [r["index"] for r in rs] == list(range(len(rs)))
    return dict(by_doc)


@pytest.fixture(scope="module")
def articles(expected, article_paths):
    """Each sample article's paragraphs as chaff.split gives them, in file order."""
    out = []
    for path in article_paths:
        paragraphs, _ = chaff.split(path.read_text(encoding="utf-8"))
        assert paragraphs == [r["text"] for r in expected[f"data/articles/{path.name}"]]
        out.append(paragraphs)
    return out


def assert_same(got: list[dict], want: list[dict], labels: list[str], where: str) -> None:
    assert len(got) == len(want), where
    for i, (g, w) in enumerate(zip(got, want)):
        at = f"{where} paragraph {i}"
        assert list(g) == ["label", "probs", "kept", "uncertain"], at
        assert (g["label"], g["kept"], g["uncertain"]) == (w["label"], w["kept"], w["uncertain"]), at
        assert list(g["probs"]) == labels, at
        assert {k: rounded(v) for k, v in g["probs"].items()} == w["probs"], at


def test_label_equals_chaff_label_jsonl(model, expected, articles, article_paths):
    n = 0
    for path, paragraphs in zip(article_paths, articles):
        want = expected[f"data/articles/{path.name}"]
        assert_same(model.label(paragraphs), want, model.labels, path.name)
        n += len(want)
    assert n == sum(map(len, expected.values()))  # every paragraph chaff-label labelled


@pytest.mark.parametrize("threads", [None, 1, 2, 3])
def test_label_many_equals_chaff_label_jsonl(model, expected, articles, article_paths, threads):
    got = model.label_many(articles, threads=threads)
    assert len(got) == len(articles)
    for path, g in zip(article_paths, got):
        assert_same(g, expected[f"data/articles/{path.name}"], model.labels, path.name)


def test_label_many_gives_exactly_what_label_gives(model, articles):
    one_by_one = [model.label(a) for a in articles]
    assert model.label_many(articles) == one_by_one
    assert model.label_many(tuple(tuple(a) for a in articles), 2) == one_by_one


def test_probabilities_are_a_distribution(model, articles):
    for decisions in model.label_many(articles):
        for d in decisions:
            assert abs(sum(d["probs"].values()) - 1.0) < 1e-5
            assert d["label"] in model.labels


def test_context_counts(model):
    """A bare headline is labelled by its neighbours, so the article is one unit."""
    headline = "Ten things to know about the new betting rules"
    alone = model.label([headline])[0]["probs"]
    inside = model.label(
        [
            "Shares in the bookmaker fell 5% after the regulator's ruling on Tuesday.",
            headline,
            "The company said it would appeal against the decision in the coming weeks.",
        ]
    )[1]["probs"]
    assert alone != inside


def test_empty_inputs(model):
    assert model.label([]) == []
    assert model.label_many([]) == []
    assert model.label_many([[], ["One paragraph."]])[0] == []
    assert model.clean("") == ""
    assert model.clean_many([]) == []


def test_python_threads_share_a_model(model, articles):
    """label_many releases the GIL; two Python threads using one model get the same answers."""
    want = model.label_many(articles, threads=1)
    results: list[object] = [None, None]

    def work(i: int) -> None:
        results[i] = model.label_many(articles, threads=1)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [want, want]


def test_model_properties(model):
    assert model.labels == ["ad", "boilerplate", "news", "related"]
    assert model.keep == ["news"]
    assert 0.0 < model.threshold < 1.0
    assert 0.0 <= model.uncertain_margin <= 1.0
    assert model.path is None
    assert "Model(None" in repr(model)


def test_decision_rule_as_chaff_label_flags(chaff_label, article_paths):
    """keep and min_keep_prob mean what chaff-label's --keep and --min-keep-prob mean."""
    path = article_paths[0]
    args = ["--keep", "news", "--keep", "related", "--min-keep-prob", "0.15"]
    want = read_jsonl(run_label_ok(chaff_label, *args, f"data/articles/{path.name}"))
    m = chaff.Model(keep=["news", "related"], min_keep_prob=0.15)
    assert (m.keep, m.threshold) == (["news", "related"], 0.15)
    paragraphs, _ = chaff.split(path.read_text(encoding="utf-8"))
    assert_same(m.label(paragraphs), want, m.labels, path.name)


def test_a_model_file_gives_the_same_answers(articles):
    from conftest import ROOT

    from_file = chaff.Model(ROOT / "models" / "default.chaff")
    assert from_file.path == ROOT / "models" / "default.chaff"
    assert from_file.label_many(articles) == chaff.Model().label_many(articles)


def test_a_model_pickles(model, articles):
    import pickle

    again = pickle.loads(pickle.dumps(chaff.Model(keep=["news"], min_keep_prob=0.2)))
    assert (again.keep, again.threshold) == (["news"], 0.2)
    assert pickle.loads(pickle.dumps(model)).label(articles[0]) == model.label(articles[0])
