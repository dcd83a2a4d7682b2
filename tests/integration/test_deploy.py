"""The deployment the README describes, for real: a Chroma server, `painguide ingest` against it,
two `painguide serve` processes and Debian's nginx in front with deploy/nginx/painguide.conf."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import (
    CORPUS,
    ROOT,
    SERVER_COLLECTION,
    ChromaServer,
    free_port,
    require_binary,
    wait_for_port,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]  # fixture: ingest + 2 starts

SITE_CONF = ROOT / "deploy" / "nginx" / "painguide.conf"
RATE_LIMIT = 20  # per visitor, per instance, per minute
START_TIMEOUT_S = 240.0
TIMEOUT = httpx.Timeout(120.0)
FEEDBACK = {"route": "answer", "cited_ids": [], "rating": "up"}  # cheap POST: 404 or 429


@dataclass
class Stack:
    """The running deployment: nginx URL, instance ports, processes, temp folder."""

    url: str
    ports: dict[str, int]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = Path()


def _env(chroma: ChromaServer, **extra: str) -> dict[str, str]:
    src = str(ROOT / "src")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p),
        "PAINGUIDE_CORPUS_DIR": str(CORPUS),
        "PAINGUIDE_CHROMA_HOST": "127.0.0.1",
        "PAINGUIDE_CHROMA_PORT": str(chroma.port),
        # the session server's collection: a plain sync when test_chroma_server built it
        "PAINGUIDE_COLLECTION": SERVER_COLLECTION,
        **extra,
    }


def _painguide() -> list[str]:
    exe = shutil.which("painguide", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "painguide.cli"]


def nginx_conf(tmp: Path, listen: int, ports: list[int]) -> Path:
    """A stand-alone nginx.conf (temp dirs, logs, pid in ``tmp``) including the shipped site."""
    site = SITE_CONF.read_text("utf-8")
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("127.0.0.1:7861", f"127.0.0.1:{ports[0]}"),
        ("127.0.0.1:7862", f"127.0.0.1:{ports[1]}"),
    ]:
        assert old in site, f"{SITE_CONF} no longer contains {old!r}; update this test"
        site = site.replace(old, new)
    (tmp / "painguide.conf").write_text(site, "utf-8")
    user = "user root root;" if os.geteuid() == 0 else ""  # workers read the 0700 temp dir
    temps = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp / "access.log"};
{temps}
    uwsgi_temp_path {tmp / "uwsgi"};
    scgi_temp_path {tmp / "scgi"};
    include {tmp / "painguide.conf"};
}}
""",
        "utf-8",
    )
    return conf


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> dict[str, Any]:
    """Poll /healthz until 200 (the process loads the model, the UI and the index)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url} exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            r = httpx.get(f"{url}/healthz", timeout=10)
            if r.status_code == 200:
                data: dict[str, Any] = r.json()
                return data
        except httpx.TransportError:
            pass
        time.sleep(1)
    pytest.fail(f"{url}/healthz not ready within {START_TIMEOUT_S}s: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, chroma_server: ChromaServer) -> Iterator[Stack]:
    """`painguide ingest` into the real Chroma server, two instances, nginx (stopped after)."""
    nginx = require_binary("/usr/sbin/nginx", "nginx")
    tmp = tmp_path_factory.mktemp("deploy")
    chroma = chroma_server
    ports = {"a": free_port(), "b": free_port()}
    st = Stack(url=f"http://127.0.0.1:{free_port()}", ports=ports, logs=tmp)
    try:
        ingest = subprocess.run(
            [*_painguide(), "ingest"], env=_env(chroma), cwd=tmp, capture_output=True, timeout=900
        )
        assert ingest.returncode == 0, f"painguide ingest: {ingest.stderr.decode()[-2000:]}"
        for name, port in ports.items():
            env = _env(
                chroma,
                PAINGUIDE_TRUSTED_PROXIES="127.0.0.1",
                PAINGUIDE_INSTANCE_ID=name,
                PAINGUIDE_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT),
            )
            log = tmp / f"serve-{name}.log"
            st.procs[name] = subprocess.Popen(
                [*_painguide(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=tmp,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        for name, port in ports.items():
            wait_healthy(f"http://127.0.0.1:{port}", st.procs[name], tmp / f"serve-{name}.log")
        conf = nginx_conf(tmp, int(st.url.rsplit(":", 1)[1]), list(ports.values()))
        test = subprocess.run(
            [nginx, "-t", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
            capture_output=True,
        )
        assert test.returncode == 0, f"nginx -t: {test.stderr.decode()}"
        st.procs["nginx"] = subprocess.Popen(
            [
                nginx,
                "-p",
                str(tmp),
                "-c",
                str(conf),
                "-e",
                str(tmp / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(tmp / "nginx.stderr").open("wb"),
        )
        wait_for_port(int(st.url.rsplit(":", 1)[1]), 30)
        yield st
    finally:
        for proc in st.procs.values():
            _stop(proc)


def visitor(address: str, **kwargs: Any) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x.y.z is this machine)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, timeout=TIMEOUT, **kwargs)


def test_requests_are_spread_over_both_instances(stack: Stack) -> None:
    with visitor("127.0.0.1") as client:
        seen = Counter(client.get(f"{stack.url}/healthz").json()["instance"] for _ in range(20))
        headers = Counter(
            client.get(f"{stack.url}/embed").headers["x-painguide-instance"] for _ in range(10)
        )
    assert set(seen) == {"a", "b"} and min(seen.values()) >= 5, f"/healthz instances: {seen}"
    assert set(headers) == {"a", "b"}, f"/embed X-Painguide-Instance: {headers}"


def _ask(
    client: httpx.Client, url: str, message: str, history: list[dict[str, str]], **extra: Any
) -> httpx.Response:
    r = client.post(f"{url}/api/v1/ask", json={"message": message, "history": history, **extra})
    assert r.status_code == 200, f"{message!r}: HTTP {r.status_code} {r.text[:300]}"
    return r


def test_conversation_continues_on_the_other_instance(stack: Stack) -> None:
    from painguide.conversation import resolve_followup

    first_q, follow_up = "What is pacing?", "how do I start?"
    with visitor("127.0.0.5") as client:
        first = _ask(client, stack.url, first_q, [])
        history = [
            {"role": "user", "content": first_q},
            {"role": "assistant", "content": first.json()["answer"]},
        ]
        for _ in range(4):  # round robin: the next request goes to the other instance
            second = _ask(client, stack.url, follow_up, history)
            if second.headers["x-painguide-instance"] != first.headers["x-painguide-instance"]:
                break
        else:
            pytest.fail("four follow-ups in a row landed on the first turn's instance")
    data = second.json()
    expected = {resolve_followup(follow_up, history), resolve_followup(follow_up, history, True)}
    assert data["query"] in expected and data["query"] != follow_up, (
        f"{follow_up!r} on the other instance lost the conversation: query {data['query']!r}"
    )
    assert data["route"] == "answer" and data["citations"], f"{follow_up!r}: {data}"


def test_server_side_conversation_memory_stays_on_its_instance(stack: Stack) -> None:
    """Documented limit: conversation_id memory is per process; send history instead."""
    cid = "deploy-test-conversation"
    direct = {name: f"http://127.0.0.1:{port}" for name, port in stack.ports.items()}
    with visitor("127.0.0.6") as client:
        _ask(client, direct["a"], "What is pacing?", [], conversation_id=cid)
        on_b = _ask(client, direct["b"], "how do I start?", [], conversation_id=cid).json()
        on_a = _ask(client, direct["a"], "how do I start?", [], conversation_id=cid).json()
    assert on_b["query"] == "how do I start?", f"instance b knew a's conversation: {on_b['query']}"
    assert on_a["query"] != "how do I start?", f"instance a forgot its conversation: {on_a}"


def _feedback_statuses(client: httpx.Client, url: str, n: int, spoof: bool = False) -> Counter[int]:
    statuses: Counter[int] = Counter()
    for i in range(n):
        headers = {"X-Forwarded-For": f"198.51.100.{i % 250}"} if spoof else {}
        statuses[
            client.post(f"{url}/api/v1/feedback", json=FEEDBACK, headers=headers).status_code
        ] += 1
    return statuses


def test_rate_limit_is_per_real_visitor_through_nginx(stack: Stack) -> None:
    n = 2 * RATE_LIMIT + 10  # two instances, each allows RATE_LIMIT per visitor
    with visitor("127.0.0.2") as first:
        got = _feedback_statuses(first, stack.url, n)
        assert got[404] <= 2 * RATE_LIMIT and got[429] >= n - 2 * RATE_LIMIT, (
            f"visitor 127.0.0.2, {n} requests through nginx: {dict(got)}"
        )
        spoofed = _feedback_statuses(first, stack.url, 10, spoof=True)
        assert spoofed == {429: 10}, f"a spoofed X-Forwarded-For escaped the limit: {dict(spoofed)}"
    with visitor("127.0.0.3") as second:
        other = _feedback_statuses(second, stack.url, 4)
    assert other == {404: 4}, f"visitor 127.0.0.3 limited by 127.0.0.2's requests: {dict(other)}"


def test_forwarded_for_is_believed_only_from_trusted_peers(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.ports['a']}"  # straight to one instance, no nginx
    with visitor("127.0.0.4") as untrusted:  # not in PAINGUIDE_TRUSTED_PROXIES
        got = _feedback_statuses(untrusted, url, RATE_LIMIT + 5, spoof=True)
    assert got == {404: RATE_LIMIT, 429: 5}, f"spoofing from an untrusted peer: {dict(got)}"
    with visitor("127.0.0.1") as proxy:  # trusted: its X-Forwarded-For names the visitor
        hdr = {"X-Forwarded-For": "203.0.113.7"}
        codes = Counter(
            proxy.post(f"{url}/api/v1/feedback", json=FEEDBACK, headers=hdr).status_code
            for _ in range(RATE_LIMIT + 2)
        )
        assert codes == {404: RATE_LIMIT, 429: 2}, f"203.0.113.7 via a trusted peer: {dict(codes)}"
        hdr = {"X-Forwarded-For": "203.0.113.8"}
        fresh = proxy.post(f"{url}/api/v1/feedback", json=FEEDBACK, headers=hdr)
    assert fresh.status_code == 404, f"203.0.113.8 limited by 203.0.113.7: {fresh.status_code}"


def test_head_works_through_nginx(stack: Stack) -> None:
    paths = [
        "/healthz",
        "/embed",
        "/docs",
        "/redoc",
        "/openapi.json",
        "/api/v1/conversation",
        "/",
        "/config",
    ]
    with visitor("127.0.0.7") as client:
        for path in paths:
            get, head = client.get(f"{stack.url}{path}"), client.head(f"{stack.url}{path}")
            assert get.status_code == head.status_code == 200, (
                f"{path}: GET {get.status_code}, HEAD {head.status_code}"
            )
            assert head.content == b"", f"HEAD {path} body {head.content[:80]!r}"


def test_stream_passes_through_nginx_as_events(stack: Stack) -> None:
    events: list[str] = []
    with (
        visitor("127.0.0.8") as client,
        client.stream(
            "POST", f"{stack.url}/api/v1/ask/stream", json={"message": "What is pacing?"}
        ) as r,
    ):
        assert r.status_code == 200, f"stream via nginx: HTTP {r.status_code}"
        events = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert len(events) >= 2 and '"type": "answer"' in events[-1], f"events: {events[-2:]}"


def test_stopping_one_instance_loses_no_request(stack: Stack) -> None:
    """Last in this module: stops instance a while requests flow through nginx."""

    def one(i: int) -> str:
        with visitor(f"127.0.1.{10 + i % 40}") as client:
            try:
                r = client.post(f"{stack.url}/api/v1/ask", json={"message": "What is pacing?"})
            except httpx.TransportError as exc:
                return f"{i}: {type(exc).__name__} {exc}"
            return "" if r.status_code == 200 else f"{i}: HTTP {r.status_code} {r.text[:200]}"

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(one, i) for i in range(8)]
        time.sleep(2)  # some requests are in flight on instance a
        stack.procs["a"].send_signal(signal.SIGTERM)
        futures += [pool.submit(one, i) for i in range(8, 24)]
        errors = [e for e in (f.result() for f in futures) if e]
    stack.procs["a"].wait(60)
    assert not errors, f"{len(errors)} of 24 requests lost while instance a stopped: {errors[:5]}"
    with visitor("127.0.0.9") as client:
        seen = {client.get(f"{stack.url}/healthz").json()["instance"] for _ in range(6)}
    assert seen == {"b"}, f"after stopping a, nginx answered from {seen}"
