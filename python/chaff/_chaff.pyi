# Type stubs of the extension module chaff._chaff (python/src/lib.rs); the docstrings are there.
import os
import pathlib
from typing import Literal, TypeAlias, TypedDict, final

__version__: str

# A list (or tuple) of str; a single str is refused, as it is a sequence of characters.
Strings: TypeAlias = list[str] | tuple[str, ...]

class ChaffError(Exception):
    """A chaff error that is not a Python one: a damaged or foreign model file, for example."""

class ParagraphLabel(TypedDict):
    """What ``Model.label`` says about one paragraph."""

    label: str
    probs: dict[str, float]
    kept: bool
    uncertain: bool

class DetailedParagraph(TypedDict):
    """One paragraph in the record of ``Model.clean_many_detailed``."""

    label: str
    kept: bool
    uncertain: bool
    probs: dict[str, float]

class RemovedParagraph(TypedDict):
    """A removed paragraph: its index among the article's paragraphs, label and text."""

    index: int
    label: str
    text: str

class CleaningRecord(TypedDict):
    """The ``chaff`` field of ``chaff-label --output jsonl``: enough to undo the cleaning."""

    separator: Literal["\n\n", "\n"]
    paragraphs: list[DetailedParagraph]
    removed: list[RemovedParagraph]

@final
class Model:
    """A chaff model: labels the paragraphs of news articles and cleans articles."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        keep: Strings | None = None,
        min_keep_prob: float | None = None,
        uncertain_margin: float | None = None,
    ) -> None: ...
    @property
    def labels(self) -> list[str]:
        """The model's labels, sorted."""
    @property
    def keep(self) -> list[str]:
        """The labels kept in cleaned text."""
    @property
    def threshold(self) -> float:
        """The keep threshold (the kept labels' probability a paragraph needs to stay)."""
    @property
    def uncertain_margin(self) -> float:
        """How close to the threshold a paragraph is flagged ``uncertain``."""
    @property
    def path(self) -> pathlib.Path | None:
        """The model file as given, or None for the built-in model."""
    def label(self, paragraphs: Strings) -> list[ParagraphLabel]:
        """Labels the paragraphs of one article, in order."""
    def label_many(
        self, articles: list[Strings] | tuple[Strings, ...], threads: int | None = None
    ) -> list[list[ParagraphLabel]]:
        """Labels many articles at once, in parallel, keeping their order."""
    def clean(self, text: str) -> str:
        """Cleans one article: the kept paragraphs, in the text's own layout."""
    def clean_many(self, texts: Strings, threads: int | None = None) -> list[str]:
        """Cleans many articles at once, in parallel, keeping their order."""
    def clean_many_detailed(
        self, texts: Strings, threads: int | None = None
    ) -> list[tuple[str, CleaningRecord]]:
        """Cleans many articles and says what was removed, in parallel, keeping their order."""

def split(text: str) -> tuple[list[str], Literal["\n\n", "\n"]]:
    """Splits a text into paragraphs as chaff does; returns them and their separator."""
