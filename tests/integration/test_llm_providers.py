"""Provider construction with the optional extras installed (run by `make llm-test`,
which installs the ollama, openai and llamacpp extras)."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.answer.generate import make_chat_model
from painguide.errors import ProviderMissingError

pytestmark = pytest.mark.llm


def test_openai_model_is_configured_from_the_arguments() -> None:
    model = make_chat_model("openai:gemma", "http://127.0.0.1:9/v1", None, 7.5)
    assert model.model_name == "gemma"  # type: ignore[attr-defined]
    assert model.openai_api_base == "http://127.0.0.1:9/v1"  # type: ignore[attr-defined]
    assert model.request_timeout == 7.5  # type: ignore[attr-defined]
    assert model.openai_api_key.get_secret_value() == "not-needed"  # type: ignore[attr-defined]
    # compatible servers (llama.cpp, vLLM...) read max_tokens, not max_completion_tokens
    assert model.extra_body == {"max_tokens": 512}  # type: ignore[attr-defined]
    assert make_chat_model("openai:gpt-4o-mini", None, "k", 5).extra_body is None  # type: ignore[attr-defined]


def test_ollama_model_is_configured_from_the_arguments() -> None:
    model = make_chat_model("ollama:llama3.2", "http://127.0.0.1:9", None, 4.0)
    assert model.model == "llama3.2"  # type: ignore[attr-defined]
    assert model.base_url == "http://127.0.0.1:9"  # type: ignore[attr-defined]
    assert model.client_kwargs == {"timeout": 4.0}  # type: ignore[attr-defined]
    assert model.temperature == 0  # type: ignore[attr-defined]


def test_missing_gguf_file_is_explained(tmp_path: Any) -> None:
    with pytest.raises(ProviderMissingError, match="No GGUF model file"):
        make_chat_model(f"llamacpp:{tmp_path / 'none.gguf'}", None, None, 5)


def test_a_file_llama_cpp_cannot_load_is_explained(tmp_path: Any) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ProviderMissingError, match=r"Could not load the GGUF model 'broken\.gguf'"):
        make_chat_model(f"llamacpp:{bad}", None, None, 5)
