"""Run an in-process LLM library (llama.cpp) in a child process that the server can restart.

A native library can crash the interpreter that loaded it (llama.cpp built for the wrong CPU
dies with SIGSEGV in its first ``decode``). Loaded here, in a fresh child interpreter (started
with ``python -c``, so the caller's main module is not imported again), such a crash ends only
the child: the request that was running fails with :class:`LLMWorkerDied` (the answer engine
then serves the extractive answer) and the next request starts a fresh child. A child that
stays silent for longer than the timeout is killed the same way, so a hung library cannot hold
the model lock for ever.

The child runs a *backend factory*: a picklable function that loads the model and returns
``(stream, info)``, where ``stream(messages)`` yields text pieces for a list of
``(role, content)`` pairs (role is "system", "human" or "ai") and ``info`` is a small dict
(llama.cpp reports its chat format there).

Example::

    worker = LLMWorker(llamacpp_backend, {"model_path": "/models/gemma.gguf"})
    worker.start()                         # ProviderMissingError if the model cannot be loaded
    text = "".join(worker.stream([("human", "Hello")], timeout_s=30))
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from painguide.errors import ProviderMissingError

log = logging.getLogger(__name__)

Message = tuple[str, str]  # (role, content); role: "system" | "human" | "ai"
Streamer = Callable[[Sequence[Message]], Iterator[str]]
BackendFactory = Callable[..., tuple[Streamer, dict[str, Any]]]

START_TIMEOUT_S = 180.0  # loading a model on a busy 2-core machine
MIN_SILENCE_S = 60.0  # a child silent this long (or twice the LLM timeout) is killed as hung
STOP_WAIT_S = 5.0


class LLMWorkerError(RuntimeError):
    """The worker process reported an error for one request (it is still running)."""


class LLMWorkerDied(RuntimeError):
    """The worker process died or was killed; the next request starts a new one."""


def describe_exit(exitcode: int | None) -> str:
    """'exit code 1', 'signal SIGSEGV' or 'still running' for a process exit code."""
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


# --- the child process ----------------------------------------------------------------------
def llamacpp_backend(model_path: str) -> tuple[Streamer, dict[str, Any]]:
    """Load a GGUF model with llama.cpp (runs in the child process)."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from painguide.answer.generate import _message_text, load_llamacpp

    model = load_llamacpp(model_path)
    kinds: dict[str, type[BaseMessage]] = {
        "system": SystemMessage,
        "human": HumanMessage,
        "ai": AIMessage,
    }

    def stream(messages: Sequence[Message]) -> Iterator[str]:
        prompt = [kinds.get(role, HumanMessage)(content=content) for role, content in messages]
        for chunk in model.stream(prompt):
            yield _message_text(chunk)

    client = getattr(model, "client", None)
    return stream, {"chat_format": getattr(client, "chat_format", None)}


def _serve_request(conn: Any, stream: Streamer, request: tuple[Any, ...]) -> Any:
    """Send one request's pieces; return a message that arrived meanwhile (None if none).

    Any message arriving during generation (a cancel or the next request) stops this one.
    """
    _, req_id, messages = request
    pending = None
    try:
        for piece in stream(messages):
            conn.send(("piece", req_id, piece))
            if conn.poll():
                pending = conn.recv()
                break
        conn.send(("done", req_id, None))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as exc:
        conn.send(("error", req_id, f"{type(exc).__name__}: {exc}"))
    return None if pending is None or pending[0] == "cancel" else pending


def _child_main(conn: Any, factory: BackendFactory, kwargs: dict[str, Any]) -> None:
    """The worker loop: load the model, then answer requests one at a time until told to stop."""
    try:
        stream, info = factory(**kwargs)
    except Exception as exc:
        conn.send(("failed", type(exc).__name__, str(exc)))
        return
    conn.send(("ready", None, info))
    pending = None
    try:
        while True:
            message = pending if pending is not None else conn.recv()
            pending = None
            if message[0] == "stop":
                return
            if message[0] == "generate":
                pending = _serve_request(conn, stream, message)
    except (BrokenPipeError, EOFError):  # the parent went away
        return


def child_entry(fd: int) -> None:
    """The child's entry point: receive (factory, kwargs) on the socket ``fd``, then serve."""
    conn = Connection(fd)
    try:
        factory, kwargs = conn.recv()
    except (EOFError, OSError):
        return
    _child_main(conn, factory, kwargs)


_CHILD_CODE = (
    "import sys; from painguide.answer.llm_process import child_entry; "
    "child_entry(int(sys.argv[1]))"
)


class _Child:
    """A worker process: the few things the parent asks of it."""

    def __init__(self, fd: int) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # the caller's imports
        self.popen = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE, str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self.pid = self.popen.pid

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def join(self, timeout_s: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout_s)

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()


# --- the parent side --------------------------------------------------------------------------
class LLMWorker:
    """A restartable child process that streams text from a backend, one request at a time."""

    def __init__(
        self,
        factory: BackendFactory,
        kwargs: dict[str, Any],
        *,
        start_timeout_s: float = START_TIMEOUT_S,
    ) -> None:
        self.factory = factory
        self.kwargs = dict(kwargs)
        self.start_timeout_s = start_timeout_s
        self.info: dict[str, Any] = {}
        self.starts = 0  # processes started (1 + restarts)
        self.deaths: list[str] = []  # how each earlier process ended unexpectedly
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None
        self._next_id = 0

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first start or after a death)."""
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def start(self) -> None:
        """Start the child and wait until its model is loaded (no-op when it is running).

        Raises ProviderMissingError when the model cannot be loaded, LLMWorkerDied when the
        child dies while loading it.
        """
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Stop the child (politely, then by force)."""
        with self._lock:
            self._stop()

    def stream(self, messages: Sequence[Message], timeout_s: float) -> Iterator[str]:
        """Yield the text pieces of one reply.

        Raises LLMWorkerDied (the child crashed, or was silent for ``timeout_s`` and was
        killed) or LLMWorkerError (the backend raised). Closing the iterator early tells the
        child to stop generating.
        """
        with self._lock:
            self._ensure_started()
            self._next_id += 1
            req_id = self._next_id
            finished = False
            try:
                self._send(("generate", req_id, [(str(r), str(c)) for r, c in messages]))
                while True:
                    kind, rid, value = self._receive(timeout_s)
                    if rid != req_id:
                        continue  # the tail of a request that was cancelled
                    if kind == "piece":
                        yield str(value)
                    elif kind == "done":
                        finished = True
                        return
                    else:
                        finished = True
                        raise LLMWorkerError(f"the LLM worker failed: {value}")
            finally:
                if not finished and self._conn is not None:
                    self._send_quietly(("cancel", req_id, None))

    # --- internals (called with the lock held) --------------------------------------------
    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        if self._proc is not None:
            self._reap("found dead")
        parent_sock, child_sock = socket.socketpair()
        try:
            proc = _Child(child_sock.fileno())
        finally:
            child_sock.close()  # so the parent sees EOF when the child dies
        self._proc, self._conn = proc, Connection(parent_sock.detach())
        self._send((self.factory, self.kwargs))
        self.starts += 1
        if self.starts > 1:
            log.warning("LLM worker restarted (start %d, pid %s)", self.starts, proc.pid)
        kind, _, info = self._receive(self.start_timeout_s)
        if kind == "failed":
            self._stop()
            raise ProviderMissingError(f"The LLM worker could not load the model: {info}")
        self.info = dict(info or {})

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except (BrokenPipeError, EOFError, OSError):
            raise self._died("while sending a request") from None

    def _send_quietly(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except (BrokenPipeError, EOFError, OSError):
            log.debug("LLM worker gone before a cancel could be sent")

    def _receive(self, timeout_s: float) -> tuple[Any, Any, Any]:
        """The child's next message; LLMWorkerDied if it dies or stays silent too long."""
        try:
            ready = self._conn.poll(max(timeout_s, 0.0))
        except (EOFError, OSError):
            ready = True  # recv below raises too
        if not ready:
            self._kill()
            raise self._died(f"after {timeout_s:.0f}s without output (killed)")
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            raise self._died("during a request") from None
        return message[0], message[1], message[2]

    def _died(self, when: str) -> LLMWorkerDied:
        how = self._reap(when)
        return LLMWorkerDied(
            f"the LLM worker process ended {when} ({how}); the next request starts a new one"
        )

    def _reap(self, when: str) -> str:
        """Forget the child; record and log how it ended."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        how = "unknown"
        if proc is not None:
            proc.join(STOP_WAIT_S)
            if proc.is_alive():
                proc.kill()
                proc.join(STOP_WAIT_S)
            how = describe_exit(proc.exitcode)
        if conn is not None:
            conn.close()
        self.deaths.append(f"{when}: {how}")
        log.warning("LLM worker process ended %s (%s)", when, how)
        return how

    def _kill(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()

    def _stop(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            with contextlib.suppress(BrokenPipeError, EOFError, OSError):
                conn.send(("stop", None, None))
            conn.close()
        if proc is not None:
            proc.join(STOP_WAIT_S)
            if proc.is_alive():
                proc.kill()
                proc.join(STOP_WAIT_S)


# --- a LangChain chat model backed by the worker ---------------------------------------------
_ROLES = {"system": "system", "human": "human", "user": "human", "ai": "ai", "assistant": "ai"}


def plain_messages(messages: Sequence[BaseMessage]) -> list[Message]:
    """LangChain messages as picklable (role, text) pairs for the worker."""
    from painguide.answer.generate import _message_text

    return [(_ROLES.get(m.type, "human"), _message_text(m)) for m in messages]


class ProcessChatModel(BaseChatModel):
    """A chat model whose generation runs in an :class:`LLMWorker` child process.

    Build it with :meth:`start`; ``worker`` tells how often the child was started and how
    earlier ones ended.
    """

    name_: str = "llamacpp-process"
    timeout_s: float = 30.0
    _worker: LLMWorker | None = PrivateAttr(default=None)

    @classmethod
    def start(
        cls, factory: BackendFactory, kwargs: dict[str, Any], timeout_s: float
    ) -> ProcessChatModel:
        """Start the worker (loading the model) and return the chat model that uses it."""
        model = cls(timeout_s=timeout_s)
        model._worker = LLMWorker(factory, kwargs)
        model._worker.start()
        return model

    @property
    def worker(self) -> LLMWorker:
        """The worker process handle (RuntimeError before :meth:`start`)."""
        if self._worker is None:
            raise RuntimeError("ProcessChatModel has no worker: build it with .start(...)")
        return self._worker

    @property
    def chat_format(self) -> str | None:
        """The chat format the backend reported (llama.cpp: 'gemma', 'chatml', ...)."""
        value = self.worker.info.get("chat_format")
        return str(value) if value else None

    @property
    def _llm_type(self) -> str:
        return self.name_

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        del stop, kwargs  # the backend has its own limits
        # The answer engine stops waiting after timeout_s; a child silent for much longer is hung.
        silence_s = max(2 * self.timeout_s, MIN_SILENCE_S)
        pieces = self.worker.stream(plain_messages(messages), silence_s)
        try:
            for piece in pieces:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager is not None:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
