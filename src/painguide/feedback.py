"""Optional feedback storage (SQLAlchemy: SQLite by default, any URL such as Postgres works).

Only the answer's route, its cited chunk ids, the rating and an optional short reason (with
contact details redacted) are stored: never the person's message or the answer text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from painguide.privacy import redact

MAX_REASON_CHARS = 300  # a short reason is enough; long free text invites personal data


class FeedbackStore:
    """A tiny table of feedback rows."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import (
            JSON,
            Column,
            DateTime,
            Integer,
            MetaData,
            String,
            Table,
            create_engine,
        )

        self.engine = create_engine(url, pool_pre_ping=True)
        self.meta = MetaData()
        self.table = Table(
            "feedback",
            self.meta,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("created", DateTime(timezone=True), nullable=False),
            Column("route", String(32), nullable=False),
            Column("cited_ids", JSON, nullable=False),
            Column("rating", String(8), nullable=False),
            Column("reason", String(MAX_REASON_CHARS), nullable=True),
        )
        self.meta.create_all(self.engine)

    def add(self, route: str, cited_ids: list[str], rating: str, reason: str | None) -> int:
        """Store one feedback row; returns its id."""
        row = {
            "created": dt.datetime.now(dt.UTC),
            "route": route[:32],
            "cited_ids": [str(c)[:200] for c in cited_ids][:20],
            "rating": rating,
            "reason": redact(reason)[:MAX_REASON_CHARS] if reason else None,
        }
        with self.engine.begin() as conn:
            result = conn.execute(self.table.insert().values(**row))
            key = result.inserted_primary_key
            if key is None:  # every supported database returns the new id
                raise RuntimeError("the database did not return the feedback row's id")
            return int(key[0])

    def all(self) -> list[dict[str, Any]]:
        """Every stored row (for tests and exports)."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(self.table.select())]
