"""Shared fixtures: paths, the installed `mailbot` command, a pipeline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# The first line every command writes on stderr: which config it uses (mailbot/configfile.py).
CONFIG_CHOICE = re.compile(r"^mailbot: (config .+ \((from .+|found)\)|no config file .*running on defaults)$")


def without_config_line(stderr: str) -> str:
    """stderr without the line that names the config file, so a test reads what the command had to say."""
    return "\n".join(line for line in stderr.splitlines() if not CONFIG_CHOICE.match(line))
EXAMPLES = REPO / "examples"


def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.fail(f"the shared test corpus is missing: expected it at {corpus}")
    return corpus


def mailbot_command() -> list[str]:
    """The `mailbot` console script beside this Python: the installed package, as users run it."""
    script = Path(sys.executable).parent / "mailbot"
    if not script.exists():
        pytest.fail(f"{script} not found: install mailbot into this environment first")
    return [str(script)]


def run_mailbot(*args: str, check: bool = False, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([*mailbot_command(), *args], capture_output=True, text=True, timeout=300, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"mailbot {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture
def mailbot():
    return run_mailbot


@pytest.fixture(scope="session")
def pipeline_factory():
    """Build pipelines that share the (slow to load) classifier."""
    from mailbot.config import Config
    from mailbot.pipeline import Pipeline
    from mailbot.store import Store

    def build(config: Config | None = None, orders: str | None = None, store=None):
        return Pipeline.from_config(config or Config(), orders_path=orders, store=store if store is not None else Store(":memory:"))

    return build
