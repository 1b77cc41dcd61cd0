"""chaff as a DataTrove pipeline step: :class:`ChaffFilter` cleans each document's text.

Needs DataTrove (``pip install 'chaff[datatrove]'``); ``import chaff`` alone does not.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from chaff.datatrove import ChaffFilter
>>> LocalPipelineExecutor(pipeline=[
...     JsonlReader("scraped/"),
...     ChaffFilter(),
...     JsonlWriter("cleaned/"),
... ], tasks=4).run()                                           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

try:
    # Only the base step: datatrove.pipeline.filters would pull in the dependencies of every
    # DataTrove filter.
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ImportError as e:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "chaff.datatrove needs DataTrove: pip install 'chaff[datatrove]' "
        f"(importing it failed: {e})"
    ) from e

from . import Model, restore

if TYPE_CHECKING:
    from datatrove.pipeline.writers.disk_base import DiskWriter

__all__ = ["ChaffFilter", "restore_document"]


class ChaffFilter(PipelineStep):  # type: ignore[misc]  # DataTrove ships no type hints
    """Cleans each document's text with a chaff model, keeping what it removed.

    Each document's text is split into paragraphs and labelled as ``chaff-label`` does, and
    replaced by its kept paragraphs. ``doc.metadata[metadata_key]`` (``"chaff"``) gets the
    record that ``chaff-label --output jsonl`` writes in its ``chaff`` field: the
    ``separator`` of the text's layout, every paragraph's ``label``, ``kept``, ``uncertain``
    and ``probs`` (rounded to 6 decimals), and the ``removed`` paragraphs with their ``index``
    and ``text``, so :func:`chaff.restore` (or :func:`restore_document`) can undo the
    cleaning. A document with nothing left is dropped (to ``exclusion_writer`` if one is given,
    with its record); a document that already holds the metadata key was cleaned before and is
    passed on untouched, so that the record which can undo the first cleaning is kept.

    Statistics (in DataTrove's ``stats.json``): ``paragraphs``, ``paragraphs_kept`` and
    ``paragraphs_removed`` (totals, and means per document), ``removed_<label>`` for each label
    removed, ``already_cleaned``, and, as DataTrove's filters count them, ``total``,
    ``forwarded``, ``dropped`` and ``dropped_empty`` documents.

    Args:
        model: a model file written by ``chaff-train``; None (the default) for the built-in
            model.
        keep, min_keep_prob, uncertain_margin: the decision rule, as ``chaff-label``'s flags
            of the same names; None (the default) for the model's own.
        metadata_key: where in the metadata the record goes; defaults to ``"chaff"``.
        batch_size: documents labelled together; defaults to 256.
        threads: threads labelling a batch; defaults to 1, as DataTrove runs a task per core
            (None for all cores).
        exclusion_writer: a DataTrove writer for the documents dropped as empty; defaults to
            None (they are dropped).

    Raises what :class:`chaff.Model` raises for a bad model file or decision rule when the
    step is made, not when the pipeline runs.
    """

    name = "🌾 chaff"
    type = "🔻 - FILTER"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        keep: Sequence[str] | None = None,
        min_keep_prob: float | None = None,
        uncertain_margin: float | None = None,
        metadata_key: str = "chaff",
        batch_size: int = 256,
        threads: int | None = 1,
        exclusion_writer: DiskWriter | None = None,
    ) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        keep = list(keep) if keep is not None else None
        # Loaded here so that a bad model fails when the pipeline is built. A model pickles as
        # the arguments it was made with, so each DataTrove worker loads it again.
        self.model = Model(model, keep, min_keep_prob, uncertain_margin)
        self.metadata_key = metadata_key
        self.batch_size = batch_size
        self.threads = threads
        self.exclusion_writer = exclusion_writer

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """Cleans the documents, yielding those with text left."""
        if data is None:
            return
        with self.exclusion_writer if self.exclusion_writer else contextlib.nullcontext() as writer:
            it = iter(data)
            while batch := list(itertools.islice(it, self.batch_size)):
                with self.track_time("batch"):
                    self.clean_batch(batch)
                for doc in batch:
                    self.stat_update("total")
                    if doc.text:
                        self.stat_update("forwarded")
                        self.update_doc_stats(doc)
                        yield doc
                    else:
                        self.stat_update("dropped", "dropped_empty")
                        if writer is not None:
                            writer.write(doc, rank)

    def clean_batch(self, batch: list[Document]) -> None:
        """Cleans the documents of a batch in place and records what was removed."""
        todo = []
        for doc in batch:
            if self.metadata_key in doc.metadata:
                self.stat_update("already_cleaned")
            else:
                todo.append(doc)
        cleaned = self.model.clean_many_detailed([doc.text for doc in todo], self.threads)
        for doc, (text, record) in zip(todo, cleaned, strict=True):
            doc.text = text
            doc.metadata[self.metadata_key] = record
            paragraphs, removed = len(record["paragraphs"]), record["removed"]
            self.stat_update("paragraphs", value=paragraphs)
            self.stat_update("paragraphs_kept", value=paragraphs - len(removed))
            self.stat_update("paragraphs_removed", value=len(removed))
            for r in removed:
                self.stat_update(f"removed_{r['label']}", unit="paragraph")


def restore_document(doc: Document, metadata_key: str = "chaff") -> Document:
    """Undoes :class:`ChaffFilter` on one document: puts the removed paragraphs back into its
    text and deletes the record from its metadata. Returns the document."""
    record: dict[str, Any] = doc.metadata.pop(metadata_key)
    doc.text = restore(doc.text, record)
    return doc
