"""Shared fixtures: the real packaged model, a real index built from the committed corpus,
a real Chroma server and a real HTTP server, each started once per test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
OUTPUT = ROOT / "test-output"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    """Block until something listens on the loopback port (or fail the test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listened on port {port} within {timeout}s")


def require_binary(path: str, package: str) -> str:
    """The executable at ``path``, or fail at once with the command that installs it."""
    found = shutil.which(path) or shutil.which(Path(path).name)
    if not found:
        pytest.fail(
            f"{path} is not installed. Run `make test` as root (it installs it), or once: "
            f"sudo sh -c 'apt-get update -qq && apt-get install -y -qq {package}'",
            pytrace=False,
        )
    return found


def make_settings(**overrides: Any) -> Any:
    """Settings for tests: never read a developer's .env."""
    from painguide.config import Settings

    base = {"corpus_dir": CORPUS, "_env_file": None}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave screenshots and reports for people to look at."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def embeddings() -> Any:
    """The real packaged all-MiniLM-L6-v2 model."""
    from painguide.embeddings import load_embeddings

    return load_embeddings("packaged:all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Path:
    """An embedded Chroma index built once from the committed corpus."""
    from painguide.ingest import ingest

    path = tmp_path_factory.mktemp("index")
    report = ingest(make_settings(index_dir=path))
    assert report.added > 100, report
    return path


@pytest.fixture(scope="session")
def settings(index_dir: Path) -> Any:
    """Settings pointing at the session index."""
    return make_settings(index_dir=index_dir)


@pytest.fixture(scope="session")
def guide(settings: Any) -> Any:
    """The real pipeline over the session index."""
    from painguide.pipeline import PainGuide

    return PainGuide.from_settings(settings)


@pytest.fixture(scope="session")
def router(embeddings: Any) -> Any:
    """The real safety router with the packaged model."""
    from painguide.safety.router import SafetyRouter

    return SafetyRouter(embeddings)


SERVER_COLLECTION = "painguide_server_test"  # the collection tests ingest into the server


class ChromaServer:
    """A real `chroma run` process on a free loopback port."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen(
            [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        wait_for_port(self.port, 60)
        import httpx

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError("chroma server did not answer its heartbeat")

    def start_on_same_port(self) -> None:
        """Restart after stop() on the same port and data folder (an outage that ends)."""
        self.start_process_only()

    def start_process_only(self) -> None:
        port = self.port
        self.start()
        assert self.port == port

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A real Chroma server, started by the fixture and stopped at the end of the session."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    server.start()
    yield server
    server.stop()


class LiveServer:
    """The real ASGI app served by uvicorn in a background thread on loopback."""

    def __init__(self, app: Any, port: int) -> None:
        import uvicorn

        from painguide.server import uvicorn_options

        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        options = uvicorn_options(app.state.settings)  # the same as `painguide serve`
        config = uvicorn.Config(app, host="127.0.0.1", port=port, **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        wait_for_port(self.port, 60)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@pytest.fixture(scope="session")
def live_server(settings: Any, guide: Any) -> Iterator[LiveServer]:
    """The full app (API, /embed, Gradio UI) on a free loopback port."""
    from painguide.server import create_app

    port = free_port()
    clinic_port = free_port()  # the example clinic site is served here by browser tests
    s = settings.model_copy(
        update={
            "allowed_origins": [f"http://127.0.0.1:{clinic_port}"],
            "rate_limit_per_minute": 100_000,
            "max_concurrent": 64,
        }
    )
    server = LiveServer(create_app(s, guide), port).start()
    server.clinic_port = clinic_port  # type: ignore[attr-defined]
    server.settings = s  # type: ignore[attr-defined]
    yield server
    server.stop()


# Debian's Chromium, as the browser and accessibility tests launch it (no downloads, no sandbox
# as root, no background traffic to hosts this machine cannot reach).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
