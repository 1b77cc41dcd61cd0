"""Bad input raises a clear exception: the wrong type where a list of str is needed, a bad
decision rule, and model files that are missing, empty, damaged or not chaff models (with the
message chaff-label prints for the same file)."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_label

import chaff


@pytest.mark.parametrize(
    "bad, message",
    [
        ("One paragraph", r"paragraphs must be a list of str \(one per paragraph\), not str; "
                          r"to label a whole text, split it first with chaff\.split\(text\)"),
        (None, "paragraphs must be a list of str .*, not NoneType"),
        ({"a": 1}, "paragraphs must be a list of str .*, not dict"),
        (iter(["a"]), "paragraphs must be a list of str .*, not list_iterator"),
        (["fine", 3], r"paragraphs\[1\] is int, not str"),
        (["fine", b"bytes"], r"paragraphs\[1\] is bytes, not str"),
        (("fine", None), r"paragraphs\[1\] is NoneType, not str"),
    ],
)
def test_label_refuses_what_is_not_a_list_of_str(model, bad, message):
    with pytest.raises(TypeError, match=message):
        model.label(bad)


@pytest.mark.parametrize(
    "bad, message",
    [
        ("text", "articles must be a list of articles, each a list of str, not str"),
        (["a", "b"], r"articles\[0\] must be a list of str .*, not str"),
        ([["a"], 5], r"articles\[1\] must be a list of str .*, not int"),
        ([["a"], ["b", 2.5]], r"articles\[1\]\[1\] is float, not str"),
    ],
)
def test_label_many_refuses_what_is_not_a_list_of_lists_of_str(model, bad, message):
    with pytest.raises(TypeError, match=message):
        model.label_many(bad)


def test_clean_refuses_what_is_not_str(model):
    with pytest.raises(TypeError):
        model.clean(["a list"])
    with pytest.raises(TypeError, match="texts must be a list of str .*; to clean one text, use clean"):
        model.clean_many("one text")
    with pytest.raises(TypeError, match=r"texts\[0\] is int, not str"):
        model.clean_many_detailed([1])


@pytest.mark.parametrize("threads", [0, -1])
def test_threads_must_be_positive(model, threads):
    with pytest.raises(ValueError, match=f"threads must be at least 1 .*, not {threads}"):
        model.label_many([["a"]], threads=threads)


def test_bad_decision_rule():
    with pytest.raises(ValueError, match=r'label "sport" is not one of the model\'s labels '
                                         r"\(ad, boilerplate, news, related\) \(model: the built-in model\)"):
        chaff.Model(keep=["sport"])
    with pytest.raises(ValueError, match="min_keep_prob must be between 0 and 1, not 1.5"):
        chaff.Model(min_keep_prob=1.5)
    with pytest.raises(ValueError, match="uncertain_margin must be between 0 and 1, not -0.1"):
        chaff.Model(uncertain_margin=-0.1)
    with pytest.raises(ValueError, match="at least one label must be kept"):
        chaff.Model(keep=[])
    with pytest.raises(TypeError, match=r"keep must be a list of str \(one per label\), not str$"):
        chaff.Model(keep="news")


def model_files(tmp_path):
    """Bad model files by what is wrong with them, each with part of the message expected."""
    good = (ROOT / "models" / "default.chaff").read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 0x20
    files = {
        "empty": (b"", "the model file is empty"),
        "not a model": (b"article_id,position,text,label\n", "not a chaff model file"),
        "damaged": (bytes(damaged), "checksum mismatch"),
        "truncated": (good[: len(good) // 3], "checksum mismatch"),
        "other version": (good.replace(b"chaff-model 2\n", b"chaff-model 9\n", 1), "model format version 9"),
        "header only": (b"chaff-model 2\n", "truncated after its first line"),
    }
    out = {}
    for name, (data, message) in files.items():
        path = tmp_path / f"{name.replace(' ', '-')}.chaff"
        path.write_bytes(data)
        out[name] = (path, message)
    return out


def test_bad_model_files_raise_chaff_error_with_chaff_labels_message(tmp_path, chaff_label):
    for name, (path, message) in model_files(tmp_path).items():
        with pytest.raises(chaff.ChaffError) as caught:
            chaff.Model(path)
        text = str(caught.value)
        assert text.startswith(f"{path}: "), name
        assert message in text, name
        proc = run_label(chaff_label, "--model", path, "data/articles/")
        assert proc.returncode == 1, name
        assert proc.stderr.strip() == f"chaff-label: {text}", name


def test_missing_model_file_is_file_not_found(tmp_path, chaff_label):
    path = tmp_path / "nowhere.chaff"
    with pytest.raises(FileNotFoundError) as caught:
        chaff.Model(path)
    assert str(caught.value).startswith(f"{path}: ")
    proc = run_label(chaff_label, "--model", path, "data/articles/")
    assert proc.stderr.strip() == f"chaff-label: {caught.value}"


def test_a_folder_is_not_a_model_file(tmp_path):
    with pytest.raises(OSError, match=str(tmp_path)):
        chaff.Model(tmp_path)


def test_errors_are_exported():
    assert issubclass(chaff.ChaffError, Exception)
    assert chaff.ChaffError.__module__ == "chaff"
