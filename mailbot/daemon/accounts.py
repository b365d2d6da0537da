"""Start-up checks of the accounts that the config schema alone cannot make.

They need the environment and the vocabulary, so they run when the daemon
starts, not when the config loads; each failure is a ConfigError naming the
file and the key, like every other config problem.
"""

from __future__ import annotations

from ..auth.login import setup_problem
from ..classify import INTENTS
from ..config import Config
from ..errors import ConfigError
from ..policy.rules import ACTIONS


def check_accounts(config: Config) -> None:
    if not config.accounts:
        raise ConfigError(config.source, "accounts", "no [[accounts]] to watch")
    for i, account in enumerate(config.accounts):
        key = f"accounts.{i}"
        problem = setup_problem(account)  # password or OAuth2: mailbot/auth/login.py
        if problem:
            raise ConfigError(config.source, f"{key}.{problem[0]}", problem[1])
        for mapping, vocabulary, what in ((account.move_by_action, ACTIONS, "action"),
                                          (account.move_by_intent, INTENTS, "intent")):
            for name, folder in mapping.items():
                field = f"{key}.move_by_{what}.{name}"
                if name not in vocabulary:
                    raise ConfigError(config.source, field, f"unknown {what}; one of {', '.join(vocabulary)}")
                if not folder:
                    raise ConfigError(config.source, field, "empty folder name")
                if what == "action" and name == "escalate_human":
                    # It would take the mail a person must answer out of the folder people read.
                    raise ConfigError(config.source, field, "mail that needs a person is never moved out of the "
                                      "folder people read; remove this entry")
        if account.quarantine_folder in account.folders:
            # Quarantined mail would be fetched, fail and be quarantined again in a loop.
            raise ConfigError(config.source, f"{key}.quarantine_folder", "is also one of the watched folders")
