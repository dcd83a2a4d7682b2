"""Start Pain Guide's chat on http://127.0.0.1:7860 (builds the index first if it is stale).

Usage: ``python app.py`` (after ``make install``), or simply ``make run``.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Serve the chat UI and API with the settings from the environment."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from painguide.cli import main as cli_main

    return cli_main(["serve", "--ensure-index", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
