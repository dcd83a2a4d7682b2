"""X-Forwarded-For names the client only when the socket peer is a trusted proxy."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from painguide.config import Settings
from painguide.server import ClientAddress


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


CASES = [
    # (trusted, peer, X-Forwarded-For headers, expected client)
    ([], "127.0.0.1", ["203.0.113.9"], "127.0.0.1"),  # default: the header is ignored
    (["10.0.0.5"], "192.0.2.1", ["203.0.113.9"], "192.0.2.1"),  # spoof from an untrusted peer
    (["10.0.0.5"], "10.0.0.5", ["203.0.113.9"], "203.0.113.9"),
    (["10.0.0.0/24"], "10.0.0.7", ["203.0.113.9"], "203.0.113.9"),  # CIDR
    # the visitor's own (spoofed) entries sit left of what our proxy appended
    (["127.0.0.1"], "127.0.0.1", ["1.2.3.4, 198.51.100.2"], "198.51.100.2"),
    (["127.0.0.1"], "127.0.0.1", ["1.2.3.4", "198.51.100.2"], "198.51.100.2"),
    # two trusted proxy hops: skip both
    (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", ["198.51.100.2, 10.1.1.1"], "198.51.100.2"),
    (["127.0.0.1"], "127.0.0.1", [], "127.0.0.1"),  # trusted peer without the header
    (["::1"], "::1", ["2001:db8::7"], "2001:db8::7"),
]


@pytest.mark.parametrize(("trusted", "peer", "forwarded", "expected"), CASES)
def test_client_address(trusted: list[str], peer: str, forwarded: list[str], expected: str) -> None:
    got = ClientAddress(trusted)(_request(peer, *forwarded))
    assert got == expected, f"trusted={trusted} peer={peer} XFF={forwarded}: {got}"


def test_trusted_proxies_setting_parses_and_validates() -> None:
    s = Settings(_env_file=None, trusted_proxies="127.0.0.1, 10.0.0.0/24")  # type: ignore[arg-type]
    assert s.trusted_proxies == ["127.0.0.1", "10.0.0.0/24"], s.trusted_proxies
    assert Settings(_env_file=None).trusted_proxies == [], "default must trust no proxy"
    with pytest.raises(ValueError, match="not an IP address or CIDR"):
        Settings(_env_file=None, trusted_proxies="proxy.example")  # type: ignore[arg-type]
