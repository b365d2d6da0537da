"""Which config file a command uses when none is named on its command line.

In order: `--config FILE`, `$MAILBOT_CONFIG`, `./mailbot.toml`,
`~/.config/mailbot/config.toml` (or `$XDG_CONFIG_HOME/mailbot/config.toml`),
`/etc/mailbot/config.toml`; none of them: the defaults.  Every command says
on stderr which one it took, so an operator never wonders why a setting
"does nothing" (it was in another file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

ENV = "MAILBOT_CONFIG"
SYSTEM_CONFIG = Path("/etc/mailbot/config.toml")


@dataclass(frozen=True)
class ConfigChoice:
    path: Path | None  # None: the defaults
    how: str  # "--config", "$MAILBOT_CONFIG", "found", "defaults"

    def describe(self) -> str:
        if self.path is None:
            return ("mailbot: no config file (none given, $MAILBOT_CONFIG unset, none of "
                    f"{', '.join(str(c) for c in candidates())} exists): running on defaults")
        via = {"--config": "from --config", ENV: f"from ${ENV}", "found": "found"}[self.how]
        return f"mailbot: config {self.path} ({via})"


def candidates() -> list[Path]:
    """The files looked for, in order, when neither --config nor $MAILBOT_CONFIG names one."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return [Path("mailbot.toml"), Path(config_home) / "mailbot" / "config.toml", SYSTEM_CONFIG]


def find_config(explicit: str | os.PathLike | None) -> ConfigChoice:
    """The config file to use; a named file that does not exist is an error, never a silent fall-back."""
    if explicit:
        return ConfigChoice(Path(explicit), "--config")
    from_env = os.environ.get(ENV)
    if from_env:
        path = Path(os.path.expanduser(from_env))
        if not path.is_file():
            raise ConfigError(path, "", f"named by ${ENV} but no such file")
        return ConfigChoice(path, ENV)
    for candidate in candidates():
        if candidate.is_file():
            return ConfigChoice(candidate, "found")
    return ConfigChoice(None, "defaults")
