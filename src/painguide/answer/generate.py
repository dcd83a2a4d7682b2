"""The optional LLM answer engine: rewrite the extractive draft, then keep only what is grounded.

The model sees only the routed question, a bounded slice of the recent conversation and the
retrieved passages numbered exactly as in the extractive draft. It never sees settings. Every
sentence it writes must cite an existing passage and pass the shared support test
(:func:`painguide.answer.verify.support`) against at least one cited passage; other sentences
are removed and reported. When the model fails, times out, declines (``NO_ANSWER``) or too
little survives verification, the extractive draft is served instead.

Routing happens before this module is reached: the LLM is only called for the ``answer`` route.

Example::

    generator = LLMGenerator.from_settings(settings)          # settings.llm = "ollama:llama3.2"
    engine, text, removed = generator.answer(state, draft, retrieval, kb)
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from painguide.answer.prompts import PROMPT_FINGERPRINT, PROMPT_VERSION, system_prompt
from painguide.answer.verify import split_answer_sentences, strip_citations, support
from painguide.errors import ProviderMissingError

if TYPE_CHECKING:
    import numpy as np
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from painguide.answer.compose import Draft
    from painguide.config import Settings
    from painguide.retrieval import KnowledgeBase, RetrievalResult
    from painguide.types import Answer

log = logging.getLogger(__name__)

T = TypeVar("T")

NO_ANSWER = "NO_ANSWER"
EXTRACTIVE = "extractive"
MIN_KEPT_SENTENCES = 2  # fewer verified sentences than this: serve the extractive draft
MIN_KEPT_SHARE = 0.5  # a smaller share of the model's sentences surviving: serve the draft
HISTORY_TURNS = 4  # earlier turns the model sees
HISTORY_TURN_CHARS = 400  # characters kept of each earlier turn
QUESTION_CHARS = 2_000  # characters kept of the question
MAX_OUTPUT_CHARS = 4_000  # a streamed answer longer than this is cut (rambling model)
LLAMACPP_N_CTX = 2_048
LLAMACPP_MAX_TOKENS = 256
REMOTE_MAX_TOKENS = 512  # ollama / OpenAI-compatible servers
PROVIDERS: dict[str, str] = {  # spec prefix -> extra that installs it
    "ollama": "ollama",
    "openai": "openai",
    "llamacpp": "llamacpp",
}
_MULTI_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)+)\]")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_LEFTOVER_BRACKET = re.compile(r"\[[^\]]*\]|\[\d")


def install_hint(extra: str) -> str:
    """The exact command that installs an optional provider."""
    return f"pip install 'painguide[{extra}]'"


def _missing(prefix: str, exc: BaseException) -> ProviderMissingError:
    log.debug("provider import failed", exc_info=exc)
    extra = PROVIDERS[prefix]
    return ProviderMissingError(
        f"The '{prefix}' LLM provider is not installed. Run `{install_hint(extra)}` "
        "(or unset PAINGUIDE_LLM to use the extractive answers)."
    )


def make_chat_model(
    spec: str, base_url: str | None, api_key: str | None, timeout_s: float
) -> BaseChatModel:
    """Build the LangChain chat model named by ``spec`` ('ollama:M', 'openai:M', 'llamacpp:P').

    Raises ProviderMissingError (with the install command) for an unknown prefix, an empty model
    name, a missing model file or a provider whose extra is not installed.
    """
    prefix, _, name = spec.partition(":")
    prefix, name = prefix.strip().lower(), name.strip()
    if prefix not in PROVIDERS or not name:
        choices = ", ".join(f"'{p}:MODEL'" for p in PROVIDERS)
        hints = "; ".join(f"`{install_hint(e)}`" for e in PROVIDERS.values())
        raise ProviderMissingError(
            f"Unknown LLM spec '{spec}': use {choices} (llamacpp takes a .gguf path). "
            f"Install a provider with one of: {hints}."
        )
    if prefix == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise _missing(prefix, exc) from None
        kwargs: dict[str, Any] = {
            "model": name,
            "temperature": 0,
            "num_predict": REMOTE_MAX_TOKENS,
            "client_kwargs": {"timeout": timeout_s},
        }
        if base_url:
            kwargs["base_url"] = base_url
        return ChatOllama(**kwargs)
    if prefix == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise _missing(prefix, exc) from None
        openai_kwargs: dict[str, Any] = {
            "model": name,
            "base_url": base_url,
            "api_key": api_key or "not-needed",
            "timeout": timeout_s,
            "temperature": 0,
            "max_tokens": REMOTE_MAX_TOKENS,
            "max_retries": 1,
        }
        if base_url:
            # ChatOpenAI sends only `max_completion_tokens`; OpenAI-compatible servers such as
            # llama.cpp's ignore it and would generate until the context is full.
            openai_kwargs["extra_body"] = {"max_tokens": REMOTE_MAX_TOKENS}
        return ChatOpenAI(**openai_kwargs)
    # llamacpp: generation runs in a child process, so a crash in native code spares the server
    for module in ("llama_cpp", "langchain_community"):
        if importlib.util.find_spec(module) is None:
            raise _missing(prefix, ImportError(f"No module named '{module}'")) from None
    path = Path(name).expanduser()
    if not path.is_file():
        raise ProviderMissingError(
            f"No GGUF model file at '{path}'. Set PAINGUIDE_LLM to 'llamacpp:/path/to/model.gguf'."
        )
    from painguide.answer.llm_process import ProcessChatModel, llamacpp_backend

    return ProcessChatModel.start(llamacpp_backend, {"model_path": str(path)}, timeout_s)


def load_llamacpp(model_path: str) -> BaseChatModel:
    """Load a GGUF file with llama.cpp in this process (the LLM worker process calls this).

    Raises ProviderMissingError when the file cannot be loaded.
    """
    from langchain_community.chat_models import ChatLlamaCpp

    path = Path(model_path)
    try:
        model = ChatLlamaCpp(
            model_path=str(path),
            n_ctx=LLAMACPP_N_CTX,
            temperature=0,
            max_tokens=LLAMACPP_MAX_TOKENS,
            verbose=False,
            # ChatLlamaCpp's own defaults hurt: n_batch=8 makes prompt reading ~100x slower and
            # a fixed rope_freq_base=10000 overrides the model's value (wrong for Gemma 3,
            # Llama 3...); 0 means "as stored in the GGUF file".
            n_batch=LLAMACPP_N_CTX // 4,
            rope_freq_base=0.0,
            rope_freq_scale=0.0,
        )
    except ValueError as exc:  # ChatLlamaCpp wraps every load failure in ValueError
        raise ProviderMissingError(
            f"Could not load the GGUF model '{path.name}' with llama.cpp ({type(exc).__name__}). "
            "Check that the file is a complete GGUF model."
        ) from None
    _set_chat_format(model)
    return model


def _set_chat_format(model: Any) -> None:
    """Give a GGUF without a chat template its family's format instead of llama.cpp's Llama 2.

    llama.cpp uses a template stored in the file when there is one; base-model files often
    have none, and Llama 2's [INST] format then confuses other families.
    """
    client = getattr(model, "client", None)
    metadata = getattr(client, "metadata", None) or {}
    if client is None or "tokenizer.chat_template" in metadata:
        return
    arch = str(metadata.get("general.architecture", "")).lower()
    for family, chat_format in (("gemma", "gemma"), ("qwen", "qwen")):
        if arch.startswith(family):
            client.chat_format = chat_format
            return


def engine_label(spec: str) -> str:
    """The engine string recorded in an Answer: provider, model and prompt version.

    A llamacpp spec keeps only the file name, so no local path leaves the server.
    """
    prefix, _, name = spec.partition(":")
    if prefix == "llamacpp":
        name = Path(name).name
    label = f"{prefix}:{name}" if name else prefix
    return f"llm:{label}:prompt-v{PROMPT_VERSION}"


def _message_text(message: Any) -> str:
    """Plain text of a LangChain message or chunk (content may be a list of blocks)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return str(content)


def _turn_parts(turn: Any) -> tuple[str, str]:
    if isinstance(turn, dict):
        return str(turn.get("role", "user")), str(turn.get("content", ""))
    return str(getattr(turn, "role", "user")), str(getattr(turn, "content", ""))


def format_history(history: Sequence[Any] | None, turns: int = HISTORY_TURNS) -> str:
    """The last ``turns`` user/assistant turns, each bounded, without citation markers."""
    lines = []
    for turn in list(history or [])[-turns:] if turns > 0 else []:
        role, content = _turn_parts(turn)
        if role not in {"user", "assistant"} or not content.strip():
            continue
        text, _ = strip_citations(" ".join(content.split()))
        if len(text) > HISTORY_TURN_CHARS:
            text = text[:HISTORY_TURN_CHARS].rstrip() + " …"
        lines.append(f"{'Person' if role == 'user' else 'Pain Guide'}: {text}")
    return "\n".join(lines)


def build_messages(
    question: str,
    history: Sequence[Any] | None,
    passages: Sequence[dict[str, Any]],
    history_turns: int = HISTORY_TURNS,
) -> list[BaseMessage]:
    """System prompt plus one human message holding the conversation, passages and question.

    Only these three inputs reach the model: never settings, configuration or other state.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    blocks = []
    for p in passages:
        heading = " — ".join(x for x in (str(p.get("title", "")), str(p.get("section", ""))) if x)
        body = " ".join(str(p.get("text", "")).split())
        n = int(p["n"])
        blocks.append(f"[{n}] {heading}\n{body}" if heading else f"[{n}] {body}")
    parts = []
    conversation = format_history(history, history_turns)
    if conversation:
        parts.append(f"Recent conversation (for context only):\n{conversation}")
    parts.append("Passages:\n" + "\n\n".join(blocks))
    parts.append(f"Question: {' '.join(question.split())[:QUESTION_CHARS]}")
    parts.append(
        "Write the answer now. End every sentence with the passage number it comes from, "
        f"like [1]. If the passages do not answer the question, write exactly: {NO_ANSWER}"
    )
    return [SystemMessage(content=system_prompt()), HumanMessage(content="\n\n".join(parts))]


@dataclass(frozen=True)
class Verification:
    """The model's answer after the grounding check."""

    text: str  # kept sentences, each ending with the markers of the passages that support it
    kept: tuple[str, ...]
    removed: tuple[str, ...]  # sentences as the model wrote them
    total: int
    no_answer: bool = False
    leaked: bool = False


def _normalise_markers(sentence: str) -> str:
    """'[1, 2]' -> '[1][2]' so the shared citation parser sees every number."""
    return _MULTI_CITATION.sub(
        lambda m: "".join(f"[{n.strip()}]" for n in re.split(r"[,;]", m.group(1))), sentence
    )


def _passage_vectors(kb: Any, embeddings: Any, passage: dict[str, Any]) -> np.ndarray:
    vecs = getattr(kb, "sentence_vectors", {}).get(passage.get("chunk_id"))
    if vecs is not None and len(vecs):
        return vecs
    # not in the index's sentence store (should not happen): embed the passage's sentences now
    return embeddings.encode(split_answer_sentences(str(passage.get("text", ""))) or [""])


def verify_answer(
    text: str,
    passages: Sequence[dict[str, Any]],
    kb: Any,
    embeddings: Any,
    question: str = "",
) -> Verification:
    """Keep each sentence that cites only existing passages and is supported by one of them.

    An echoed system prompt is reported as ``leaked`` with nothing else (its text must not reach
    the Answer). A ``NO_ANSWER`` anywhere sets ``no_answer``; the other sentences are still
    checked so that what the model wrote besides is reported in ``removed``.
    """
    if PROMPT_FINGERPRINT.lower() in text.lower():
        return Verification("", (), (), 0, leaked=True)
    no_answer = NO_ANSWER in text
    by_n = {int(p["n"]): p for p in passages}
    sentences: list[str] = []
    seen: set[str] = set()
    for raw in split_answer_sentences(text):
        key = " ".join(raw.lower().split())
        if key in seen:
            continue  # a repeated sentence is counted once
        seen.add(key)
        sentences.append(raw)
    candidates: list[tuple[str, str, list[int]]] = []
    removed: list[str] = []
    for raw in sentences:
        body, nums = strip_citations(_normalise_markers(_LIST_MARKER.sub("", raw)))
        if not body or not any(ch.isalpha() for ch in body) or NO_ANSWER in body:
            continue  # a stray marker, punctuation or the NO_ANSWER token is not a sentence
        if not nums or any(n not in by_n for n in nums) or _LEFTOVER_BRACKET.search(body):
            removed.append(raw)
            continue
        candidates.append((raw, body, list(dict.fromkeys(nums))))
    vectors = embeddings.encode([body for _, body, _ in candidates]) if candidates else []
    kept: list[str] = []
    for (raw, body, nums), vec in zip(candidates, vectors, strict=True):
        supporting = []
        for n in nums:
            passage = by_n[n]
            check = support(
                body,
                str(passage.get("text", "")),
                _passage_vectors(kb, embeddings, passage),
                embeddings,
                question,
                sentence_vector=vec,
            )
            if check.supported:
                supporting.append(n)
        if supporting:
            kept.append(body + " " + "".join(f"[{n}]" for n in supporting))
        else:
            removed.append(raw)
    total = len(kept) + len(removed)
    return Verification(" ".join(kept), tuple(kept), tuple(removed), total, no_answer=no_answer)


def _may_be_withheld(raw: str) -> bool:
    """True while the streamed text could still turn into NO_ANSWER or the echoed prompt.

    Such text is not shown: the user sees neither the token nor the start of the prompt.
    """
    start = raw.strip()
    return (
        not start
        or NO_ANSWER.startswith(start)
        or (PROMPT_FINGERPRINT.lower().startswith(start.lower()))
    )


class LLMGenerator:
    """Rewrites the extractive draft with a chat model and serves only verified sentences."""

    def __init__(
        self,
        model: BaseChatModel,
        embeddings: Any = None,
        *,
        spec: str | None = None,
        timeout_s: float = 30.0,
        min_kept_sentences: int = MIN_KEPT_SENTENCES,
        min_kept_share: float = MIN_KEPT_SHARE,
        history_turns: int = HISTORY_TURNS,
        serialize: bool | None = None,
    ) -> None:
        """``model``: any LangChain chat model (tests pass fake ones). ``embeddings``: used when
        the knowledge base has none. ``serialize``: one call at a time (in-process models such
        as llama.cpp are not thread safe); guessed from the model class when None."""
        self.model = model
        self.embeddings = embeddings
        self.spec = spec or type(model).__name__
        self.engine = engine_label(self.spec)
        self.timeout_s = float(timeout_s)
        self.min_kept_sentences = min_kept_sentences
        self.min_kept_share = min_kept_share
        self.history_turns = history_turns
        if serialize is None:
            kind = f"{type(model).__name__} {getattr(model, '_llm_type', '')}".lower()
            serialize = "llamacpp" in kind
        self._lock: threading.Lock | None = threading.Lock() if serialize else None
        # llama.cpp's built-in Gemma format silently drops system messages; Gemma's own
        # template puts the system text at the start of the first user turn instead.
        chat_format = getattr(model, "chat_format", None) or getattr(
            getattr(model, "client", None), "chat_format", None
        )
        self.fold_system = chat_format == "gemma"

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMGenerator:
        """Build the chat model named by ``settings.llm`` and load the embedding model."""
        from painguide.embeddings import load_embeddings

        if not settings.llm:
            raise ProviderMissingError("settings.llm is not set; there is no LLM to use.")
        model = make_chat_model(
            settings.llm, settings.llm_base_url, settings.llm_api_key, settings.llm_timeout_s
        )
        return cls(
            model,
            load_embeddings(settings.embedding_model),
            spec=settings.llm,
            timeout_s=settings.llm_timeout_s,
            serialize=settings.llm.strip().lower().startswith("llamacpp:"),
        )

    # --- prompt ------------------------------------------------------------------------
    def messages(self, state: dict[str, Any], draft: Draft) -> list[BaseMessage]:
        """The prompt for one routed state: question, recent turns, the draft's passages."""
        question = str(state.get("resolved") or state.get("message") or "")
        messages = build_messages(
            question, state.get("history"), draft.passages, self.history_turns
        )
        if self.fold_system:
            from langchain_core.messages import HumanMessage

            system, human = messages
            return [HumanMessage(content=f"{system.content}\n\n{human.content}")]
        return messages

    # --- calling the model with a hard timeout ---------------------------------------------
    def _guarded(self, fn: Callable[[], T], abandoned: threading.Event) -> T:
        """Run ``fn`` (one at a time for in-process models) unless the caller gave up waiting.

        A call that timed out while queued behind another must not start the model: with
        llama.cpp that would burn CPU on answers nobody reads.
        """
        if self._lock is None:
            return fn()
        with self._lock:
            if abandoned.is_set():
                raise TimeoutError("the caller stopped waiting before the model was free")
            return fn()

    def _run_with_timeout(self, fn: Callable[[], T], timeout_s: float) -> T:
        """Run ``fn`` in a daemon worker thread; TimeoutError after ``timeout_s`` seconds.

        A daemon thread (not a pool) so a hung provider never blocks interpreter exit.
        """
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        abandoned = threading.Event()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(self._guarded(fn, abandoned))
            except BaseException as exc:
                future.set_exception(exc)

        threading.Thread(target=work, name="painguide-llm", daemon=True).start()
        try:
            return future.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            abandoned.set()
            raise TimeoutError(f"LLM gave no answer within {timeout_s:.1f}s") from None

    def invoke(self, messages: list[BaseMessage]) -> str:
        """The model's whole reply as text, within the timeout (TimeoutError otherwise)."""
        reply = self._run_with_timeout(lambda: self.model.invoke(messages), self.timeout_s)
        return _message_text(reply)

    def stream_text(self, messages: list[BaseMessage]) -> Generator[str, None, None]:
        """Yield text pieces as the model produces them; TimeoutError when the budget runs out.

        The model runs in a daemon thread feeding a queue, so even a stalled connection cannot
        hold the caller past the deadline; the worker stops at its next piece once told to.
        """
        deadline = time.monotonic() + self.timeout_s
        pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def produce() -> None:
            try:

                def run() -> None:
                    for chunk in self.model.stream(messages):
                        if stop.is_set():
                            break
                        pieces.put(("piece", _message_text(chunk)))

                self._guarded(run, stop)
                pieces.put(("done", None))
            except BaseException as exc:
                pieces.put(("error", exc))

        threading.Thread(target=produce, name="painguide-llm-stream", daemon=True).start()
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"LLM stream exceeded {self.timeout_s:.1f}s")
                try:
                    kind, value = pieces.get(timeout=remaining)
                except queue.Empty:
                    raise TimeoutError(f"LLM stream exceeded {self.timeout_s:.1f}s") from None
                if kind == "done":
                    return
                if kind == "error":
                    raise value
                if value:
                    yield value
        finally:
            stop.set()

    # --- verification and the decision ---------------------------------------------------
    def decide(
        self, raw: str, state: dict[str, Any], draft: Draft, kb: Any
    ) -> tuple[str, str, tuple[str, ...]]:
        """Verify the model's text; return (engine, text, removed) or the extractive fallback."""
        embeddings = getattr(kb, "embeddings", None) or self.embeddings
        question = str(state.get("resolved") or state.get("message") or "")
        check = verify_answer(raw, draft.passages, kb, embeddings, question)
        kept, total = len(check.kept), check.total
        if check.leaked:
            log.info("llm answer not used (prompt echoed); serving the extractive answer")
            return EXTRACTIVE, draft.text, ()
        if check.no_answer:
            log.info(
                "llm answer not used (NO_ANSWER, %d other sentences removed); serving the "
                "extractive answer",
                len(check.removed),
            )
            return EXTRACTIVE, draft.text, check.removed
        if kept < self.min_kept_sentences or kept < self.min_kept_share * total:
            log.info(
                "llm answer not used: %d of %d sentences verified; serving the extractive answer",
                kept,
                total,
            )
            return EXTRACTIVE, draft.text, check.removed
        log.info("llm answer verified: kept %d, removed %d sentences", kept, len(check.removed))
        return self.engine, check.text, check.removed

    # --- the two entry points -------------------------------------------------------------
    def answer(
        self,
        state: dict[str, Any],
        draft: Draft,
        retrieval: RetrievalResult | None,
        kb: KnowledgeBase,
    ) -> tuple[str, str, tuple[str, ...]]:
        """(engine, text, removed) for a routed 'answer' state; never raises."""
        del retrieval  # the draft's passages are what the model is allowed to see
        try:
            raw = self.invoke(self.messages(state, draft))
        except Exception as exc:
            log.warning("LLM call failed (%s); serving the extractive answer", type(exc).__name__)
            log.debug("LLM failure detail", exc_info=True)
            return EXTRACTIVE, draft.text, ()
        try:
            return self.decide(raw, state, draft, kb)
        except Exception as exc:  # verification must never take the answer down
            log.warning(
                "LLM verification failed (%s); serving the extractive answer", type(exc).__name__
            )
            log.debug("verification failure detail", exc_info=True)
            return EXTRACTIVE, draft.text, ()

    def verified(self, sentences: list[str], draft: Draft, kb: Any, question: str) -> list[str]:
        """The sentences (as the model wrote them, markers normalised) that the grounding
        verifier supports; any verifier error shows nothing rather than unchecked text."""
        embeddings = getattr(kb, "embeddings", None) or self.embeddings
        try:
            check = verify_answer(" ".join(sentences), draft.passages, kb, embeddings, question)
        except Exception as exc:
            log.warning("streamed sentence not verified (%s); not shown", type(exc).__name__)
            return []
        if check.leaked or check.no_answer:
            return []
        return list(check.kept)

    def stream(
        self, guide: Any, message: str, history: Sequence[Any] | None = None
    ) -> Iterator[str | Answer]:
        """Yield the growing answer, then the final (verified or extractive) Answer.

        Only sentences that passed the grounding verifier are ever yielded: each sentence is
        checked as soon as the model finishes it, so a reader never sees unchecked text that
        is taken back afterwards.
        """
        state = guide.chain.invoke(
            {"message": message, "history": list(history or []), "skip_generation": True}
        )
        answer: Answer = state["answer"]
        draft: Draft | None = state.get("draft")
        if answer.route != "answer" or draft is None:
            yield answer.answer
            yield answer
            return
        t = time.perf_counter()
        raw = ""
        failed = False
        shown: list[str] = []  # sentences that passed the verifier, in order
        checked = 0  # complete sentences of ``raw`` already verified
        question = str(state.get("resolved") or state.get("message") or "")
        try:
            with closing(self.stream_text(self.messages(state, draft))) as pieces:
                for piece in pieces:
                    raw += piece
                    if NO_ANSWER in raw or PROMPT_FINGERPRINT.lower() in raw.lower():
                        break  # declined or echoing the prompt: the draft is served
                    if len(raw) > MAX_OUTPUT_CHARS:
                        break  # rambling; verify what we have
                    if _may_be_withheld(raw):
                        continue
                    complete = split_answer_sentences(raw)[:-1]  # the last may still grow
                    if len(complete) > checked:
                        new = complete[checked:]
                        checked = len(complete)
                        kept = self.verified(new, draft, guide.kb, question)
                        if kept:  # only text the verifier passed is ever shown
                            shown.extend(kept)
                            yield " ".join(shown)
        except Exception as exc:
            failed = True
            log.warning("LLM stream failed (%s); serving the extractive answer", type(exc).__name__)
            log.debug("LLM stream failure detail", exc_info=True)
        engine, text = EXTRACTIVE, draft.text
        removed: tuple[str, ...] = ()
        if not failed:
            try:
                engine, text, removed = self.decide(raw, state, draft, guide.kb)
            except Exception as exc:
                log.warning(
                    "LLM verification failed (%s); serving the extractive answer",
                    type(exc).__name__,
                )
        timings = dict(answer.timings_ms)
        timings["generate_ms"] = round((time.perf_counter() - t) * 1000, 2)
        yield replace(
            answer, answer=text, engine=engine, removed=tuple(removed), timings_ms=timings
        )
