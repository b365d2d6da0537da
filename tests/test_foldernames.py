"""Config folder names ("/" between levels) as each server holds them, and mail for a person never moved."""

from __future__ import annotations

import pytest

from mailbot.config import AccountConfig
from mailbot.daemon.decide import Handled
from mailbot.daemon.foldernames import FolderNameError, FolderNames
from mailbot.daemon.mark import mark_for


@pytest.mark.parametrize("separator, prefix, name, expected", [
    (".", "", "Triage/No reply", "Triage.No reply"),  # Dovecot Maildir++
    ("/", "", "Triage/No reply", "Triage/No reply"),  # Gmail, Exchange
    (".", "INBOX.", "Triage/Automated", "INBOX.Triage.Automated"),  # Courier, Cyrus
    (".", "INBOX.", "INBOX/Support", "INBOX.Support"),
    (".", "INBOX.", "INBOX", "INBOX"),
    ("\\", "", "A/B/C", "A\\B\\C"),
    (None, "", "Flat", "Flat"),
])
def test_a_config_name_becomes_the_servers_name(separator, prefix, name, expected):
    assert FolderNames(separator, prefix).server_name(name) == expected


@pytest.mark.parametrize("separator, name, why", [
    (".", "Triage/v1.0", "rename it"),  # "." would make v1 and 0 two levels
    (None, "Triage/Automated", "no subfolders"),
    ("/", "Triage//Automated", "empty level"),
    ("/", "/Triage", "empty level"),
])
def test_a_name_the_server_cannot_hold_is_refused_with_the_fix(separator, name, why):
    with pytest.raises(FolderNameError, match=why):
        FolderNames(separator).server_name(name)


def handled(action, intent="other", state="triaged"):
    return Handled(1, "id", "<m@x>", state, intent, action, None, True, 1.0, {})


ACCOUNT = AccountConfig(name="support", host="imap.example.com", username="u", password_env="P",
                        move_by_intent={"other": "Archive", "automated": "Automated"},
                        move_by_action={"answer_question": "Questions"}, quarantine_folder="Quarantine")


def test_mail_that_needs_a_person_stays_whatever_move_by_intent_says():
    assert mark_for(handled("escalate_human", "other"), ACCOUNT).destination is None
    assert mark_for(handled("escalate_human", "automated"), ACCOUNT).destination is None
    assert mark_for(handled("escalate_human", None, state="oversize"), ACCOUNT).destination is None
    # ...and the rest still moves as configured.
    assert mark_for(handled("no_reply", "automated"), ACCOUNT).destination == "Automated"
    assert mark_for(handled("answer_question", "other"), ACCOUNT).destination == "Questions"
    assert mark_for(handled("request_info", "other"), ACCOUNT).destination == "Archive"
    # A failure goes only where the operator said failures go, never by move_by_*.
    assert mark_for(handled(None, "other", state="failed"), ACCOUNT).destination == "Quarantine"
