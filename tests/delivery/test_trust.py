"""Issue 14, bar 2: forged bounces, future dates, Precedence spellings and our own aliases.

Each case runs as the daemon would: the message through the pipeline in
mode "send", then a delivery pass against a real SMTP server (aiosmtpd).
The verdict is read from what the server accepted: the customer answered
once, or not at all, as the policy says.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.config import load_config
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.delivery.ledger import StoreLedger
from mailbot.delivery.runner import run_once
from mailbot.records import RawMessage
from mailbot.store import Store

from .conftest import customer_mail, mailbot, write_config
from .test_intake import bounce_for

pytestmark = pytest.mark.integration

BODY = "Hi, where is my order? It has been two weeks now. {name}"


@pytest.fixture
def bot(pipeline_factory, tmp_path, smtp_server):
    class Bot:
        def __init__(self, **delivery):
            delivery.setdefault("auto_send_min_confidence", 0.5)
            self.path = write_config(tmp_path, mode="send", smtp=smtp_server, **delivery)
            self.config = load_config(self.path)
            self.store = Store(self.config.store_path())
            self.pipeline = pipeline_factory(self.config, store=self.store)
            self.pipeline.deliver = Delivery(self.config, self.store)
            self.n = 0
            self.smtp = smtp_server

        def receive(self, data: bytes, received: datetime | None = None) -> dict:
            self.n += 1
            result = self.pipeline.triage(RawMessage(f"{self.n}.eml", data, received))
            run_once(self.config, self.store)
            return result

        def write(self, address: str, name: str = "Ana", **mail) -> dict:
            mail.setdefault("body", BODY.format(name=name))
            return self.receive(customer_mail(100 + self.n, sender=f"{name} <{address}>", **mail))

        def answers_to(self, address: str) -> list:
            return [r for r in smtp_server.handler.accepted if r.rcpt_tos == [address]]

    return Bot


# Forged bounces


def test_a_forged_bounce_naming_another_customer_does_not_silence_her(bot):
    b = bot()
    b.write("mallory@evil.example", name="Mallory")
    [to_mallory] = b.answers_to("mallory@evil.example")  # Mallory now knows one of our Message-IDs
    forged = bounce_for(to_mallory.message["Message-ID"], "ana@example.com")
    b.receive(forged)
    assert StoreLedger(b.store.db).bounced("ana@example.com") is None

    b.write("ana@example.com")
    assert len(b.answers_to("ana@example.com")) == 1


def test_a_real_bounce_of_her_reply_blocks_her_until_it_expires_or_is_cleared(bot, tmp_path):
    b = bot()
    b.write("ana@example.com")
    [to_ana] = b.answers_to("ana@example.com")
    b.receive(bounce_for(to_ana.message["Message-ID"], "ana@example.com"))
    b.write("ana@example.com")
    assert len(b.answers_to("ana@example.com")) == 1, "answered an address that bounced"

    # Blocks expire: the same bounce recorded 61 days ago no longer stops a reply.
    b.store.db.execute("UPDATE delivery_bounced SET at = ?",
                       ((datetime.now(timezone.utc) - timedelta(days=61)).isoformat(timespec="milliseconds"),))
    b.write("ana@example.com")
    assert len(b.answers_to("ana@example.com")) == 2

    # ...and a person can clear one at once.
    b.receive(bounce_for(b.answers_to("ana@example.com")[-1].message["Message-ID"], "ana@example.com"))
    assert StoreLedger(b.store.db).bounced("ana@example.com")
    cleared = mailbot("review", "unblock", "Ana@Example.com", config=b.path)
    assert cleared.returncode == 0, cleared.stderr
    assert "5.1.1" in cleared.stdout
    third = b.write("ana@example.com")
    assert len(b.answers_to("ana@example.com")) == 3, third["trace"]
    again = mailbot("review", "unblock", "ana@example.com", config=b.path)
    assert again.returncode == 1 and "not blocked" in again.stderr


# Dates


def test_a_future_date_does_not_pass_the_age_limit(bot):
    b = bot()
    future = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)
    result = b.receive(customer_mail(1, written=future, body=BODY.format(name="Ana")))
    assert b.answers_to("ana@example.com") == []
    assert any("more than a day in the future" in line for line in result["trace"])
    [draft] = Drafts(b.store.db).with_status("pending")  # a person decides
    assert draft.original_from == "ana@example.com"


def test_the_server_s_arrival_time_decides_the_age_whatever_the_date_says(bot):
    b = bot()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    # Arrived an hour ago, dated in the future: its age is known, and it is answered once.
    b.receive(customer_mail(1, written=now + timedelta(days=30), body=BODY.format(name="Ana")),
              received=now - timedelta(hours=1))
    assert len(b.answers_to("ana@example.com")) == 1
    # Arrived ten days ago, dated today: old mail, not answered alone.
    result = b.receive(customer_mail(2, sender="Bea <bea@example.com>", written=now, body=BODY.format(name="Bea")),
                       received=now - timedelta(days=10))
    assert b.answers_to("bea@example.com") == []
    assert any("10.0 days old" in line and "since it arrived" in line for line in result["trace"])


# Precedence


@pytest.mark.parametrize("value", ["  Bulk ;", "BULK", "junk (mass mail)", '"list"', "bulk;", "\tauto-reply"])
def test_bulk_precedence_however_written_gets_no_reply(bot, value):
    b = bot()
    result = b.receive(customer_mail(1, body=BODY.format(name="Ana"), extra={"Precedence": value}))
    assert b.answers_to("ana@example.com") == []
    assert result["automated"] is True


def test_first_class_precedence_is_a_person_s_mail(bot):
    b = bot()
    b.receive(customer_mail(1, body=BODY.format(name="Ana"), extra={"Precedence": " First-Class "}))
    assert len(b.answers_to("ana@example.com")) == 1


# Our own addresses


@pytest.mark.parametrize("sender, reply_to", [
    ("Support <support+orders@keysme.com>", None),
    ("Support <SUPPORT@KEYSME.COM>", None),
    ("Ana <ana@example.com>", "support+loop@keysme.com"),
    ("Help <help+x@keysme.com>", None),  # an alias listed in delivery.support_addresses
])
def test_mail_from_or_to_one_of_our_aliases_gets_no_reply(bot, sender, reply_to):
    b = bot(support_addresses=["help@keysme.com"])
    result = b.receive(customer_mail(1, sender=sender, reply_to=reply_to, body=BODY.format(name="Ana")))
    assert b.smtp.handler.accepted == []
    assert any("our own address" in line for line in result["trace"])


def test_a_customer_s_own_subaddress_is_still_answered(bot):
    b = bot()
    b.write("ana+shop@example.com")
    assert len(b.answers_to("ana+shop@example.com")) == 1
