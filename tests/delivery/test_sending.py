"""The outbox against a real SMTP server (aiosmtpd): once, retries, failures, TLS, the hourly cap."""

from __future__ import annotations

import pytest

from mailbot.config import load_config
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.delivery.ledger import StoreLedger
from mailbot.delivery.outbox import Outbox
from mailbot.delivery.review import Review
from mailbot.delivery.runner import Runner, run_once
from mailbot.delivery.smtp import SendResult
from mailbot.records import RawMessage
from mailbot.store import Store

from .conftest import customer_mail, mailbot, write_config

pytestmark = pytest.mark.integration


@pytest.fixture
def bot(pipeline_factory, tmp_path, smtp_server):
    """A store with drafts from customer mail, a config pointing at the test SMTP server."""

    class Bot:
        def __init__(self, mode="draft", **delivery):
            self.reconfigure(mode, **delivery)

        def reconfigure(self, mode="draft", **delivery):
            self.path = write_config(tmp_path, mode=mode, smtp=smtp_server, **delivery)
            self.config = load_config(self.path)
            self.store = Store(self.config.store_path())
            self.pipeline = pipeline_factory(self.config, store=self.store)
            self.pipeline.deliver = Delivery(self.config, self.store)
            return self

        def draft(self, n: int, **mail) -> int:
            # No order number: "which order?" (request_info) is a reply anyone may get.
            mail.setdefault("body", f"Hi, where is my order? It has been two weeks. Customer {n}")
            self.pipeline.triage(RawMessage(f"{n}.eml", customer_mail(n, sender=f"Customer {n} <c{n}@example.com>",
                                                                       **mail)))
            return Drafts(self.store.db).with_status("pending", "auto", "blocked")[0].id

        def approve(self, n: int) -> int:
            draft_id = self.draft(n)
            Review(self.config, self.store).approve(draft_id, actor="tester")
            return draft_id

        def send(self):
            return run_once(self.config, self.store)

        def entry(self, draft_id):
            return Outbox(self.store.db).for_draft(draft_id)

    return Bot


def test_an_approved_reply_goes_out_once(bot, smtp_server):
    b = bot()
    draft_id = b.approve(1)
    report = b.send()
    assert report.sent == [draft_id]
    assert b.send().sent == [] and b.send().sent == []
    [received] = smtp_server.handler.accepted
    assert received.rcpt_tos == ["c1@example.com"] and received.mail_from == "support@keysme.com"
    msg = received.message
    assert msg["Message-ID"] == b.entry(draft_id).message_id
    # A person approved it: their reply, not an automatic one (RFC 3834 marks only automatic replies).
    assert msg["Auto-Submitted"] is None and msg["X-Auto-Response-Suppress"] is None
    assert b.entry(draft_id).state == "sent" and b.entry(draft_id).sent_folder == "none"


def test_a_4xx_is_retried_with_backoff_and_the_reply_goes_out_once(bot, smtp_server):
    b = bot(retry_initial_seconds=30.0)
    draft_id = b.approve(1)
    smtp_server.handler.data_replies = ["451 4.3.0 try again later"]
    report = b.send()
    assert report.deferred and "451" in report.deferred[0][1]
    entry = b.entry(draft_id)
    assert (entry.state, entry.attempts) == ("queued", 1) and entry.next_attempt_at > entry.updated_at
    assert b.send().sent == []  # not due yet: backoff
    Outbox(b.store.db).db.execute("UPDATE delivery_outbox SET next_attempt_at = updated_at")
    assert b.send().sent == [draft_id]
    assert len(smtp_server.handler.accepted) == 1 and smtp_server.handler.data_attempts == 2
    assert b.entry(draft_id).attempts == 2


def test_temporary_failures_give_up_after_max_attempts(bot, smtp_server):
    b = bot(retry_initial_seconds=0.001, retry_max_seconds=0.001, max_attempts=3)
    draft_id = b.approve(1)
    smtp_server.handler.data_replies = ["452 4.2.2 mailbox full"] * 5
    for _ in range(3):
        b.send()
        __import__("time").sleep(0.01)
    entry = b.entry(draft_id)
    assert entry.state == "failed" and entry.attempts == 3 and "gave up after 3 attempts: 452" in entry.last_error
    assert smtp_server.handler.accepted == []


def test_a_5xx_leaves_it_failed_and_kept_and_a_refused_recipient_bounced(bot, smtp_server):
    b = bot()
    smtp_server.handler.refuse_rcpt = {"c1@example.com": "550 5.1.1 no such user"}
    draft_id = b.approve(1)
    report = b.send()
    assert report.failed and "550 5.1.1" in report.failed[0][1]
    assert b.entry(draft_id).state == "failed" and b.entry(draft_id).raw  # kept, bytes and all
    assert b.send().failed == []  # not retried by itself
    assert "5.1.1" in StoreLedger(b.store.db).bounced("c1@example.com")
    listed = mailbot("review", "list", config=b.path).stdout
    assert f"{draft_id}  FAILED" in listed and "550 5.1.1 no such user" in listed
    # A person can queue it again; the guard now stops it: the address bounced.
    Review(b.config, b.store).retry(draft_id, actor="tester")
    assert "bounced before" in b.send().failed[0][1]
    assert smtp_server.handler.accepted == []


def test_a_5xx_to_the_message_is_not_a_bounce(bot, smtp_server):
    b = bot()
    smtp_server.handler.data_replies = ["554 5.7.1 content rejected"]
    draft_id = b.approve(1)
    b.send()
    assert b.entry(draft_id).state == "failed" and "554 5.7.1" in b.entry(draft_id).last_error
    assert StoreLedger(b.store.db).bounced("c1@example.com") is None


def test_a_server_that_is_down_defers_the_reply_and_stops_the_pass(bot, smtp_server, tmp_path):
    b = bot()
    first, second = b.approve(1), b.approve(2)
    b.config = b.config.model_copy(update={"delivery": b.config.delivery.model_copy(
        update={"smtp": b.config.delivery.smtp.model_copy(update={"port": _closed_port()})})})
    report = b.send()
    [(deferred, why)] = report.deferred
    assert deferred == first and "connect call failed" in why.lower(), why
    assert {b.entry(first).attempts, b.entry(second).attempts} == {1, 0}  # the second was not tried
    assert smtp_server.handler.accepted == []


def test_starttls_is_required_when_configured_and_nothing_goes_in_clear(bot, smtp_server):
    b = bot()
    draft_id = b.approve(1)
    settings = b.config.delivery.smtp.model_copy(update={"tls": "starttls"})
    b.config = b.config.model_copy(update={"delivery": b.config.delivery.model_copy(update={"smtp": settings})})
    report = b.send()
    assert report.deferred and "STARTTLS" in report.deferred[0][1].upper()
    assert smtp_server.handler.data_attempts == 0 and b.entry(draft_id).state == "queued"


def test_implicit_tls_to_a_plain_server_sends_nothing(bot, smtp_server):
    b = bot()
    b.approve(1)
    settings = b.config.delivery.smtp.model_copy(update={"tls": "implicit", "timeout_seconds": 3})
    b.config = b.config.model_copy(update={"delivery": b.config.delivery.model_copy(update={"smtp": settings})})
    assert b.send().deferred
    assert smtp_server.handler.data_attempts == 0


def test_a_password_variable_that_is_not_set_is_a_config_error(bot, tmp_path, monkeypatch):
    b = bot()
    b.approve(1)
    path = write_config(tmp_path, smtp=None)
    text = path.read_text() + '[delivery.smtp]\nhost = "127.0.0.1"\nusername = "bot"\npassword_env = "NO_SUCH_VAR_X"\n'
    path.write_text(text)
    monkeypatch.delenv("NO_SUCH_VAR_X", raising=False)
    result = mailbot("send-approved", config=path)
    assert result.returncode == 2 and "NO_SUCH_VAR_X is not set" in result.stderr


def test_dry_run_sends_nothing(bot, smtp_server):
    b = bot()
    b.approve(1)
    path = b.path
    path.write_text(path.read_text().replace('mode = "draft"', 'mode = "dry-run"'))
    result = mailbot("send-approved", config=path)
    assert result.returncode == 0 and "dry-run" in result.stdout
    assert smtp_server.handler.data_attempts == 0


def test_the_hourly_cap_sends_no_more_and_switches_to_draft_mode_loudly(bot, smtp_server, caplog):
    b = bot("send", max_auto_sends_per_hour=2, auto_send_min_confidence=0.5)
    auto = [b.draft(n) for n in (1, 2, 3)]
    assert [Drafts(b.store.db).get(d).status for d in auto] == ["auto"] * 3
    with caplog.at_level("WARNING", logger="mailbot.delivery"):
        report = b.send()
    assert len(report.sent) == 2 and len(smtp_server.handler.accepted) == 2
    assert [d for d, _ in report.held_for_review] == [auto[2]]
    assert Drafts(b.store.db).get(auto[2]).status == "pending" and b.entry(auto[2]) is None
    assert any(r.levelname == "ERROR" and "AUTO-SEND PAUSED" in r.getMessage() for r in caplog.records)
    # While paused, send mode drafts even what the allowlist trusts.
    b.draft(4)
    assert Drafts(b.store.db).with_status("pending", "auto")[0].status == "pending"
    listed = mailbot("review", "list", config=b.path).stdout
    assert str(auto[2]) in listed
    status = mailbot("status", config=b.path).stdout
    assert "AUTO-SEND PAUSED since" in status and "hourly cap: 2 automatic sends" in status
    resumed = mailbot("review", "resume-auto-send", config=b.path)
    assert "auto-send resumed" in resumed.stdout and StoreLedger(b.store.db).auto_send_paused() is None


def test_an_unknown_outcome_is_never_sent_blindly_again(bot, smtp_server):
    class LostConnection:
        def send(self, envelope_from, recipient, data, *, before_data):
            before_data()
            return SendResult("unknown", None, "connection lost during DATA")

    b = bot()
    draft_id = b.approve(1)
    Runner(b.config, b.store, sender=LostConnection()).run_once()
    entry = b.entry(draft_id)
    assert entry.state == "failed" and entry.phase == "data" and "IN DOUBT" in entry.last_error
    b.send()
    assert smtp_server.handler.data_attempts == 0


def test_a_run_killed_after_acceptance_without_a_sent_folder_holds_the_reply(bot, smtp_server):
    # Without IMAP nothing can prove the server took it: held for a person, not sent twice.
    b = bot()
    draft_id = b.approve(1)
    crashed = mailbot("send-approved", config=b.path, env={"MAILBOT_TEST_CRASH_AT": "smtp-accepted"})
    assert crashed.returncode == 75, crashed.stderr
    assert len(smtp_server.handler.accepted) == 1
    assert (b.entry(draft_id).state, b.entry(draft_id).phase) == ("sending", "data")
    restarted = mailbot("send-approved", config=b.path)
    assert restarted.returncode == 1 and "IN DOUBT" in restarted.stdout
    assert len(smtp_server.handler.accepted) == 1
    assert b.entry(draft_id).state == "failed"


def test_a_run_killed_before_data_sends_it_on_restart(bot, smtp_server):
    b = bot()
    draft_id = b.approve(1)
    Outbox(b.store.db).claim(b.entry(draft_id).id, Review(b.config, b.store).now())  # died while connecting
    report = b.send()
    assert report.sent == [draft_id] and "interrupted before DATA" in report.recovered[0][1]
    assert len(smtp_server.handler.accepted) == 1


def _closed_port() -> int:
    from .conftest import free_port

    return free_port()


def test_a_relay_refusal_is_our_server_s_policy_not_a_bounce(bot, smtp_server):
    b = bot()
    smtp_server.handler.refuse_rcpt = {"c1@example.com": "550 5.7.1 relaying denied"}
    draft_id = b.approve(1)
    b.send()
    assert b.entry(draft_id).state == "failed" and "5.7.1" in b.entry(draft_id).last_error
    assert StoreLedger(b.store.db).bounced("c1@example.com") is None


def test_a_draft_decided_while_its_copy_was_appended_is_taken_out_again(bot):
    b = bot()
    draft_id = b.draft(1)
    drafts = Drafts(b.store.db)
    drafts.update(draft_id, Review(b.config, b.store).now(), imap_state="pending")
    Review(b.config, b.store).approve(draft_id, actor="tester")  # meanwhile, a reviewer decides
    drafts.mark_appended(draft_id, Review(b.config, b.store).now())  # the pass had already appended it
    assert drafts.get(draft_id).imap_state == "withdraw"
