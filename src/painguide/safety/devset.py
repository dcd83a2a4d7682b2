"""The safety development set: labelled messages from other people's words, kept out of git.

The text of each message comes from a public repository snapshot and is not committed. Git holds
only the manifest (``evals/datasets/devset/manifest.jsonl``): one line per item with its id,
label, source repository, commit, path, row locator and the sha256 of the exact text. The text
lives in a local cache file (one JSON object per line, the manifest fields plus ``text``).

Example::

    items = load_devset("/work/devset-cache/devset.jsonl")    # validated against the manifest
    digest = manifest_hash(DEFAULT_MANIFEST)                    # recorded by trained artefacts
    build_cache_from_mirror("/work/.mirror", DEFAULT_MANIFEST, "devset.jsonl")

Row locators (``row``) say where the text sits in the source file::

    <fmt>:<index>/<field>[/<selector>]...[@<start>:<end>]

- ``fmt`` is ``csv`` (data row index, 0-based, header excluded), ``json`` (index in the
  top-level list), ``jsonl`` (index among the non-empty lines) or ``dialogtxt`` (index among
  the ``id=<n>`` blocks of a plain-text dialogue file, see ``parse_dialogtxt``).
- ``field`` is a column or key; several joined by ``+`` are concatenated with a newline.
- selectors: ``pylist:<k>`` takes element k of a Python-literal list stored in the field;
  ``turn:<speaker>:<k>`` takes the k-th (0-based) turn of ``[speaker]`` in a dialogue written
  as ``[doctor] ... [patient] ...``.
- The text is whitespace-normalised (runs collapsed to one space, stripped), then the
  optional character span ``@start:end`` is applied.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import logging
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_MANIFEST = Path("evals/datasets/devset/manifest.jsonl")
DEFAULT_CACHE = Path("/work/devset-cache/devset.jsonl")
CACHE_ENV = "PAINGUIDE_DEVSET_CACHE"  # names another cache, e.g. a branch's manifest additions

LABELS = frozenset(
    {
        "emergency",
        "urgent",
        "crisis",
        "out_of_scope",
        "off_topic",
        "answer",
        "crisis_history",
        "benign_figurative",
    }
)
MANIFEST_FIELDS = (
    "id",
    "label",
    "source",
    "commit",
    "path",
    "row",
    "licence",
    "labeller",
    "label_basis",
    "sha256",
)

_WS = re.compile(r"\s+")
_ROW = re.compile(
    r"^(?P<fmt>csv|jsonl|json|dialogtxt):(?P<index>\d+)/(?P<rest>[^@]+?)(?:@(?P<s>\d+):(?P<e>\d+))?$"
)


class DevsetError(ValueError):
    """The cache or manifest is missing, malformed or out of step with each other."""


@dataclass(frozen=True)
class DevItem:
    """One labelled message of the development set."""

    id: str
    text: str
    label: str
    source: str
    commit: str
    path: str
    row: str
    licence: str
    labeller: str
    label_basis: str


def default_cache() -> Path:
    """The text cache to use: ``$PAINGUIDE_DEVSET_CACHE`` when set, else ``DEFAULT_CACHE``.

    Read at call time (never at import), so a branch whose manifest adds items can point
    training, leave-one-source-out and ``painguide eval`` at its own cache without touching
    the shared one (which must match the main manifest exactly).
    """
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def text_sha256(text: str) -> str:
    """The sha256 hex digest of the exact UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_ws(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise DevsetError(f"{path} does not exist; build it with build_cache_from_mirror() first")
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DevsetError(
                f"{path}:{n} is not valid JSON ({exc}); fix or rebuild the file"
            ) from exc
    return rows


def read_manifest(manifest_path: str | Path) -> list[dict[str, Any]]:
    """Manifest entries, checked for required fields, known labels and unique ids."""
    entries = _read_jsonl(Path(manifest_path))
    seen: set[str] = set()
    for entry in entries:
        missing = [f for f in MANIFEST_FIELDS if not entry.get(f)]
        if missing:
            raise DevsetError(f"manifest entry {entry.get('id')!r} lacks {missing}")
        if entry["label"] not in LABELS:
            raise DevsetError(
                f"manifest entry {entry['id']!r} has unknown label {entry['label']!r}"
            )
        if entry["id"] in seen:
            raise DevsetError(f"manifest id {entry['id']!r} appears twice")
        seen.add(entry["id"])
    return entries


def manifest_hash(manifest_path: str | Path) -> str:
    """sha256 over the manifest's non-empty lines (newline-joined): the training-data hash."""
    lines = [
        ln for ln in Path(manifest_path).read_text(encoding="utf-8").splitlines() if ln.strip()
    ]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _check_against_manifest(
    cache: dict[str, dict[str, Any]], manifest: list[dict[str, Any]]
) -> list[str]:
    problems: list[str] = []
    wanted = {e["id"] for e in manifest}
    for entry in manifest:
        row = cache.get(entry["id"])
        if row is None:
            problems.append(f"missing from cache: {entry['id']}")
        elif text_sha256(str(row.get("text", ""))) != entry["sha256"]:
            problems.append(f"text changed: {entry['id']} (sha256 differs from the manifest)")
        # a label in the cache is not checked: the manifest's label is the one used, so a
        # relabel (RELABELS.md) needs no rebuilt cache
    problems.extend(f"not in manifest: {i}" for i in sorted(set(cache) - wanted))
    return problems


def load_devset(
    path: str | Path | None = None, manifest_path: str | Path = DEFAULT_MANIFEST
) -> list[DevItem]:
    """Read the text cache and validate it against the committed manifest.

    Raises DevsetError listing every missing, changed or unexpected item. Items come back in
    manifest order, with the manifest's label and provenance.
    """
    path = default_cache() if path is None else path
    manifest = read_manifest(manifest_path)
    cache = {str(r.get("id")): r for r in _read_jsonl(Path(path))}
    problems = _check_against_manifest(cache, manifest)
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise DevsetError(
            f"{path} does not match {manifest_path}: {len(problems)} problem(s): {shown}{more}. "
            "Rebuild the cache with build_cache_from_mirror() from the snapshots in the manifest."
        )
    return [
        DevItem(text=cache[e["id"]]["text"], **{k: e[k] for k in MANIFEST_FIELDS if k != "sha256"})
        for e in manifest
    ]


def _select(value: str, selector: str) -> str:
    kind, _, arg = selector.partition(":")
    if kind == "pylist":
        items = ast.literal_eval(value)
        return str(items[int(arg)])
    if kind == "turn":
        speaker, _, k = arg.rpartition(":")
        parts = re.split(r"\[(\w+)\]", value)
        turns = [parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i] == speaker]
        return turns[int(k)]
    raise DevsetError(f"unknown row selector {selector!r}")


_DIALOG_ID = re.compile(r"^id=(\d+)\s*$", re.MULTILINE)
_DIALOG_SPEAKER = re.compile(r"^(Patient|Doctor):\s*$", re.MULTILINE)


def parse_dialogtxt(raw: str) -> list[dict[str, Any]]:
    """Records of a plain-text dialogue file written as blocks of this shape::

        id=<n>
        <url>

        Description
        <text>

        Dialogue
        Patient:
        <text>
        Doctor:
        <text>

    Each record has ``id``, ``url``, ``description`` and ``dialogue``; the dialogue is rewritten
    as ``[patient] ... [doctor] ...`` so the ``turn:<speaker>:<k>`` selector reads its turns.
    """
    starts = list(_DIALOG_ID.finditer(raw))
    records: list[dict[str, Any]] = []
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(raw)
        block = raw[match.end() : end].strip("\n")
        url, _, rest = block.partition("\n")
        head, _, dialogue = rest.partition("\nDialogue\n")
        description = head.strip().removeprefix("Description").strip()
        dialogue = _DIALOG_SPEAKER.sub(lambda m: f"[{m.group(1).lower()}]", dialogue)
        records.append(
            {
                "id": match.group(1),
                "url": url.strip(),
                "description": description,
                "dialogue": dialogue,
            }
        )
    return records


def _records(raw: str, fmt: str) -> list[dict[str, Any]]:
    if fmt == "dialogtxt":
        return parse_dialogtxt(raw)
    if fmt == "csv":
        csv.field_size_limit(1 << 30)
        return list(csv.DictReader(io.StringIO(raw)))
    if fmt == "jsonl":
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    data = json.loads(raw)
    if not isinstance(data, list):
        raise DevsetError("json sources must hold a top-level list")
    return data


def extract_text(records: list[dict[str, Any]], row: str) -> str:
    """Apply a row locator (see the module docstring) to parsed records of its file."""
    m = _ROW.match(row)
    if not m:
        raise DevsetError(f"row locator {row!r} is not of the form fmt:index/field[/sel][@s:e]")
    record = records[int(m["index"])]
    field, *selectors = m["rest"].split("/")
    value = "\n".join(str(record.get(f) or "") for f in field.split("+"))
    for sel in selectors:
        value = _select(value, sel)
    text = normalise_ws(value)
    if m["s"] is not None:
        text = text[int(m["s"]) : int(m["e"])]
    return text


def row_format(row: str) -> str:
    """The file format named by a row locator ('csv', 'json', 'jsonl' or 'dialogtxt')."""
    return row.split(":", 1)[0]


def _git_show(git_dir: Path, commit: str, path: str) -> str:
    proc = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise DevsetError(
            f"cannot read {path}@{commit[:12]} from {git_dir}: "
            f"{proc.stderr.decode(errors='replace')} (fetch that repository snapshot first)"
        )
    return proc.stdout.decode("utf-8", errors="replace")


def snapshot_git_dir(mirror_dir: Path, source: str) -> Path:
    """Where a fetched snapshot of ``owner/repo`` lives under the mirror directory.

    Snapshots are bare (``.../repo``) or, for some fetches, a checkout (``.../repo/.git``)."""
    repo = mirror_dir / source.replace("/", "+") / "repo"
    return repo / ".git" if (repo / ".git").is_dir() else repo


def _rebuild_items(mirror_dir: Path, manifest: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    parsed: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    out: list[dict[str, Any]] = []
    for entry in manifest:
        key = (entry["source"], entry["commit"], entry["path"], row_format(entry["row"]))
        if key not in parsed:
            raw = _git_show(snapshot_git_dir(mirror_dir, entry["source"]), key[1], key[2])
            parsed[key] = _records(raw, key[3])
        text = extract_text(parsed[key], entry["row"])
        item = {k: entry[k] for k in MANIFEST_FIELDS if k != "sha256"}
        item["text"] = text
        if text_sha256(text) != entry["sha256"]:
            log.warning("rebuilt text for %s differs from the manifest sha256", entry["id"])
        out.append(item)
    return out


def build_cache_from_mirror(
    mirror_dir: str | Path, manifest_path: str | Path, out_path: str | Path
) -> int:
    """Rebuild the text cache from fetched snapshots (``<mirror>/<owner>+<repo>/repo``).

    Reads each item's source/commit/path/row from the manifest and writes one JSON line per item
    to ``out_path``. Returns the number written; items whose text no longer matches the manifest
    are written anyway and logged, and ``load_devset`` will then name them.
    """
    manifest = read_manifest(manifest_path)
    items = _rebuild_items(Path(mirror_dir), manifest)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    log.info("wrote %d dev-set items to %s", len(items), out)
    return len(items)


def write_manifest(items: Iterable[dict[str, Any]], manifest_path: str | Path) -> int:
    """Write the manifest (every field but the text, plus its sha256) for cache-style items."""
    lines = []
    for item in items:
        entry = {k: item[k] for k in MANIFEST_FIELDS if k != "sha256"}
        entry["sha256"] = text_sha256(item["text"])
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=False))
    path = Path(manifest_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)
