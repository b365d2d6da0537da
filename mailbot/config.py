"""The TOML config, validated when it loads.

A misspelt or unknown key is an error, never ignored: `load_config` raises
`ConfigError` naming the file and the dotted key.  Relative paths in the file
are relative to the file's own folder.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreConfig(_Section):
    path: str = ""  # empty: $XDG_DATA_HOME/mailbot/mailbot.sqlite3


class ClassifierConfig(_Section):
    model: str = ""  # empty: the pipeline bundled with mailbot
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)


class ExtractConfig(_Section):
    # Each pattern's first group is the order number; see extract/orders.py.
    order_patterns: list[str] = Field(default_factory=list)
    order_prefixes: list[str] = Field(default_factory=lambda: ["KS"])
    order_digits_min: int = Field(4, ge=1)
    order_digits_max: int = Field(7, ge=1)


class PolicyConfig(_Section):
    rules_dir: str = ""  # empty: the bundled rules/
    orders: str = ""  # order data CSV; empty: none
    returns: str = ""  # return history CSV; empty: none
    defect_report_days: int = Field(7, ge=0)
    processing_days: int = Field(2, ge=0)
    refund_business_days: int = Field(7, ge=0)
    max_returns_per_customer: int = Field(3, ge=0)
    holiday_country: str = "CN"


class ReplyConfig(_Section):
    templates_dir: str = ""  # empty: the bundled templates/
    store_name: str = "Keysme"
    support_address: str = "support@keysme.com"
    from_name: str = "Keysme Support"
    signature: str = "The Keysme support team"


class Config(_Section):
    store: StoreConfig = StoreConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    extract: ExtractConfig = ExtractConfig()
    policy: PolicyConfig = PolicyConfig()
    reply: ReplyConfig = ReplyConfig()
    mode: Literal["dry-run", "draft", "send"] = "draft"

    # Set by load_config, not by the file: where relative paths start.
    base_dir: str = Field(default=".", exclude=True)
    source: str = Field(default="(defaults)", exclude=True)

    def store_path(self) -> Path:
        if self.store.path:
            return self.path(self.store.path)
        data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        return Path(data_home) / "mailbot" / "mailbot.sqlite3"

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else Path(self.base_dir) / p


def load_config(path: str | os.PathLike | None) -> Config:
    """Load and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, "", f"not valid TOML: {e}") from None
    for reserved in ("base_dir", "source"):
        if reserved in data:
            raise ConfigError(path, reserved, "unknown key")
    try:
        return Config(**data, base_dir=str(path.resolve().parent), source=str(path))
    except ValidationError as e:
        raise _config_error(path, e) from None


def _config_error(path: Path, e: ValidationError) -> ConfigError:
    problems = []
    first_key = ""
    for err in e.errors():
        key = ".".join(str(part) for part in err["loc"])
        first_key = first_key or key
        if err["type"] == "extra_forbidden":
            problems.append(f"{key}: unknown key")
        else:
            problems.append(f"{key}: {err['msg']} (got {err.get('input')!r})")
    error = ConfigError(path, "", "; ".join(problems))
    error.key = first_key
    return error
