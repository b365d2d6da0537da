"""The policy counts its windows from when the customer wrote, which a forged Date must not move."""

from datetime import datetime, timedelta, timezone

from mailbot.pipeline import policy_clock


def test_the_server_s_arrival_time_wins_over_any_date():
    now = datetime.now(timezone.utc)
    arrived = now - timedelta(hours=3)
    assert policy_clock(now - timedelta(days=40), arrived) == (arrived, ())
    assert policy_clock(now + timedelta(days=40), arrived) == (arrived, ())


def test_without_an_arrival_time_the_date_counts_unless_it_lies_ahead():
    now = datetime.now(timezone.utc)
    written = now - timedelta(days=2)
    assert policy_clock(written, None) == (written, ())
    clock, note = policy_clock(now + timedelta(days=30), None)
    assert abs((clock - now).total_seconds()) < 60 and "in the future" in note[0]
    clock, note = policy_clock(None, None)
    assert abs((clock - now).total_seconds()) < 60 and "no readable Date" in note[0]
