"""One exception hierarchy; every message says what to do next."""

from __future__ import annotations

from pathlib import Path


class PainGuideError(Exception):
    """Base class of every error Pain Guide raises on purpose.

    ``reason`` is the short machine-readable code /healthz and the API report.
    """

    reason = "error"


class CorpusError(PainGuideError):
    """A corpus document is malformed; names the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path = Path(path)
        self.field = field
        self.problem = problem
        super().__init__(
            f"{self.path}: field '{field}': {problem}. Fix the file and run `painguide ingest` "
            "again; the existing index was left as it was."
        )


class IndexMissingError(PainGuideError):
    """No index has been built yet."""

    reason = "index_missing"

    def __init__(self, where: str) -> None:
        super().__init__(f"No Pain Guide index at {where}; run `painguide ingest` first.")


class IndexUnavailableError(PainGuideError):
    """The index exists but could not be read (a broken or locked local index)."""

    reason = "index_unavailable"

    def __init__(self, where: str, cause: object) -> None:
        self.where = where
        super().__init__(
            f"The search index at {where} could not be read ({cause}). If the problem stays, "
            "rebuild it with `painguide ingest --rebuild`; Pain Guide retries by itself."
        )


class ChromaUnreachableError(IndexUnavailableError):
    """The Chroma server cannot be reached right now (refused, timed out, restarting)."""

    reason = "chroma_unreachable"

    def __init__(self, where: str, cause: object) -> None:
        self.where = where
        PainGuideError.__init__(
            self,
            f"Cannot reach the {where} ({cause}). Check that the Chroma server is "
            f"running (`chroma run --path DIR --port PORT`) and that PAINGUIDE_CHROMA_HOST and "
            "PAINGUIDE_CHROMA_PORT point at it; Pain Guide reconnects by itself when it is back.",
        )


class ModelLoadError(PainGuideError):
    """The embedding model could not be loaded."""

    reason = "model_load_failed"


class PipelineLoadError(PainGuideError):
    """The pipeline failed to start for a reason none of the errors above describe."""

    reason = "load_failed"

    def __init__(self, cause: BaseException) -> None:
        super().__init__(
            f"Pain Guide could not start its answer pipeline ({type(cause).__name__}: {cause}). "
            "See the server log for the details; it retries by itself every few seconds."
        )


class ThresholdsError(PainGuideError):
    """The release-gate thresholds file is missing, unreadable or malformed."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"Release-gate thresholds file {self.path}: {problem}. The gate fails closed: restore "
            "the file (it is committed as evals/thresholds.toml) or pass --thresholds PATH."
        )


class DatasetError(PainGuideError):
    """An evaluation dataset line is malformed; names the file and line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        super().__init__(
            f"{path}:{line}: {problem}. "
            "See 'Evaluating a release' in README.md for the dataset schema."
        )


class ProviderMissingError(PainGuideError):
    """An optional LLM provider's extra is not installed or the spec is wrong."""
