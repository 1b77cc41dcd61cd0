"""chaff: label the paragraphs of scraped news articles and clean the articles.

Every paragraph is labelled ``news``, ``related`` (a related-link insert) or ``ad`` with
probabilities, its neighbours taken into account; cleaning keeps the ``news``. This is the same
model and the same code as the ``chaff-label`` binary, with the same answers.

>>> import chaff
>>> model = chaff.Model()                      # the built-in model
>>> [p["label"] for p in model.label([
...     "Shares in the bookmaker fell 5% after the regulator's ruling.",
...     "Read more: Ten things to know about the new betting rules",
... ])]
['news', 'related']

- :class:`Model`: ``label`` (one article), ``label_many`` (many, in parallel), ``clean``,
  ``clean_many`` and ``clean_many_detailed`` (with what was removed, for :func:`restore`).
- :func:`split`: a text to paragraphs, as chaff splits it.
- :func:`restore`: puts removed paragraphs back into a cleaned text.
- :exc:`ChaffError`: a damaged or foreign model file, and other chaff errors.
- ``chaff.datatrove.ChaffFilter``: a DataTrove pipeline step (``pip install 'chaff[datatrove]'``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._chaff import ChaffError, Model, __version__, split

__all__ = ["ChaffError", "Model", "__version__", "restore", "split"]


def restore(text: str, record: Mapping[str, Any]) -> str:
    """Puts the removed paragraphs back into a cleaned text.

    ``text`` is a text cleaned by chaff and ``record`` what was recorded when it was cleaned:
    the dict that ``Model.clean_many_detailed`` returns beside it, the ``chaff`` field of
    ``chaff-label --output jsonl``, or the metadata ``chaff.datatrove.ChaffFilter`` stores.
    Returns every paragraph of the original, in order, joined in its layout (so the result is
    the original text up to the white space around and between paragraphs).

    Raises ValueError when the record does not fit the text (it was cleaned again, or edited).
    """
    try:
        separator: str = record["separator"]
        removed = sorted(record["removed"], key=lambda r: r["index"])
        total = len(record["paragraphs"])
    except (KeyError, TypeError) as e:
        raise ValueError(
            "record must hold `separator`, `paragraphs` and `removed` as chaff writes them"
        ) from e
    kept = text.split(separator) if text else []
    if len(kept) + len(removed) != total:
        raise ValueError(
            f"the record has {total} paragraphs, but the text holds {len(kept)} and "
            f"{len(removed)} were removed: it does not belong to this text"
        )
    paragraphs: list[str] = []
    rest = iter(kept)
    try:
        for r in removed:
            while len(paragraphs) < r["index"]:
                paragraphs.append(next(rest))
            paragraphs.append(r["text"])
    except StopIteration:
        raise ValueError(
            f"removed paragraph index {r['index']} is past the end of the text"
        ) from None
    paragraphs.extend(rest)
    return separator.join(paragraphs)
