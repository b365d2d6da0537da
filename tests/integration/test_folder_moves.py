"""Moves against a real Dovecot, whose Maildir++ layout separates levels with "." where the config writes "/"."""

from __future__ import annotations

import json

import pytest

from .harness import FAILED, TRIAGED, Bot, flags, identity, support_mail

pytestmark = pytest.mark.integration


def test_config_names_with_slash_land_in_the_servers_own_hierarchy(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(10)]
    dovecot.append(messages)
    routes = {"move_by_intent": {"automated": "Triage/Automated"}}
    bot = Bot(tmp_path, dovecot, account=dovecot.account(**routes))
    bot.run_once()

    bot.assert_exactly_once(messages)
    with dovecot.client() as imap:
        folders = {name for _, delimiter, name in imap.list_folders()}
        assert imap.list_folders("", "")[0][1] == b"."  # what this server uses: the test means something
    assert "Triage.Automated" in folders and "Triage/Automated" not in folders
    automated = [json.loads(r) for (r,) in bot.query("SELECT result FROM messages")
                 if json.loads(r)["intent"] == "automated"]
    assert len(automated) >= 2
    assert len(flags(dovecot, "Triage.Automated")) == len(automated)
    assert bot.query("SELECT DISTINCT moved_to FROM imap_messages WHERE moved_to IS NOT NULL") == \
        [("Triage/Automated",)]


def test_a_folder_the_server_cannot_hold_is_reported_once_and_the_mail_stays_unharmed(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(12)]
    dovecot.append(messages)
    # "v1.0" holds Dovecot's separator: it would become two levels, so it is refused.
    bot = Bot(tmp_path, dovecot, account=dovecot.account(move_by_intent={"automated": "Triage/v1.0"}),
              batch_size=3)  # several batches: several chances to report it again
    result = bot.run_once()

    bot.assert_exactly_once(messages)
    assert result.stderr.count("move-disabled") == 1, result.stderr[-3000:]
    assert "rename it in the config" in result.stderr
    assert bot.query("SELECT COUNT(*) FROM imap_messages WHERE state = 'failed'") == [(0,)]  # not quarantined
    in_inbox = flags(dovecot)
    assert len(in_inbox) == len(messages) and all(TRIAGED in f and FAILED not in f for f in in_inbox.values())
    [(last_error,)] = bot.query("SELECT last_error FROM imap_folders")
    assert "Triage/v1.0" in last_error and "disabled" in last_error  # `mailbot status` shows it


def test_mail_for_a_person_stays_in_the_inbox_whatever_move_by_intent_says(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(10)]
    big = support_mail(11, size=150_000)
    dovecot.append([*messages, big])
    every_intent = {intent: "Archive" for intent in ("order_status", "cancel_order", "modify_order",
                                                     "return_request", "exchange_request", "defective_item",
                                                     "wrong_item", "refund_status", "product_question", "other",
                                                     "automated")}
    bot = Bot(tmp_path, dovecot, account=dovecot.account(move_by_intent=every_intent), max_message_bytes=100_000)
    bot.run_once()

    results = {identity(m): json.loads(r) for m in [*messages, big]
               for (r,) in bot.query("SELECT result FROM messages WHERE identity = ?", identity(m))}
    for_person = [i for i, r in results.items() if r["action"] == "escalate_human"]
    assert identity(big) in for_person and len(for_person) >= 2, [r["action"] for r in results.values()]
    assert len(flags(dovecot, "INBOX")) == len(for_person)
    assert len(flags(dovecot, "Archive")) == len(results) - len(for_person)
    stayed = {i for (i,) in bot.query("SELECT identity FROM imap_messages WHERE moved_to IS NULL")}
    assert stayed == set(for_person)
