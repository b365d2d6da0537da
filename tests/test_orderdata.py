"""The order data file: reloaded when it changes on disk, and too old to state an order's status alone."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import run_mailbot
from mailbot.config import Config
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.orderdata import OrderSource
from mailbot.records import RawMessage
from mailbot.store import Store

from delivery.conftest import customer_mail

ORDERS = Path(__file__).resolve().parent / "delivery" / "orders.csv"  # 10517 is Ana's, shipped


def without_order(src: Path, dst: Path, number: str) -> Path:
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    dst.write_text("".join(l for l in lines if not l.startswith(number + ",")), encoding="utf-8")
    return dst


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_the_file_is_read_again_when_it_changes_and_a_bad_version_keeps_the_last_good_one(tmp_path):
    path = without_order(ORDERS, tmp_path / "orders.csv", "10517")
    source = OrderSource(path, 24)
    first = source.current()
    assert "10517" not in first and source.current() is first  # unchanged: not read again
    shutil.copy(ORDERS, path)
    age(path, 0.01)  # a new export (mtime changed even on a coarse file system)
    second = source.current()
    assert "10517" in second and len(second) == len(first) + 1
    path.write_text("order_number,email\n10517,x@example.com\n")  # half an export: columns missing
    age(path, 0.005)
    assert source.current() is second  # the orders read before stay in use
    assert source.current() is second  # and the bad version is not parsed again on every message


def test_the_pipeline_uses_a_new_export_from_the_next_message_on_without_a_restart(pipeline_factory, tmp_path):
    path = without_order(ORDERS, tmp_path / "orders.csv", "10517")
    config = Config(policy={"orders": str(path)})
    pipeline = pipeline_factory(config, orders=str(path))
    before = pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    shutil.copy(ORDERS, path)
    age(path, 0.01)
    after = pipeline.triage(RawMessage("b.eml", customer_mail(2)))
    assert before["action"] != "order_status_info"  # 10517 unknown: not a status the bot can state
    assert after["action"] == "order_status_info", after["trace"]


@pytest.mark.parametrize("hours_old, goes_alone", [(1, True), (48, False)])
def test_replies_stating_an_order_status_from_stale_data_wait_for_a_person(pipeline_factory, tmp_path,
                                                                           hours_old, goes_alone):
    path = tmp_path / "orders.csv"
    shutil.copy(ORDERS, path)
    age(path, hours_old)
    config = Config(mode="send", policy={"orders": str(path), "orders_max_age_hours": 24},
                    delivery={"auto_send_min_confidence": 0.5})
    store = Store(tmp_path / "store.sqlite3")
    pipeline = pipeline_factory(config, orders=str(path), store=store)
    pipeline.deliver = Delivery(config, store, orders=pipeline.order_source)
    result = pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    assert result["action"] == "order_status_info"
    [draft] = Drafts(store.db).with_status("auto", "pending")
    assert draft.status == ("auto" if goes_alone else "pending")
    trace = json.loads(draft.delivery_trace)
    if not goes_alone:
        assert any("hours old, over policy.orders_max_age_hours 24" in line and "waits for a person" in line
                   for line in trace), trace


def test_status_warns_when_the_order_data_is_older_than_the_limit(tmp_path):
    path = tmp_path / "orders.csv"
    shutil.copy(ORDERS, path)
    config = tmp_path / "mailbot.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n[policy]\norders = "{path}"\n'
                      "orders_max_age_hours = 24\n")
    Store(tmp_path / "store.sqlite3").close()
    fresh = run_mailbot("status", "--config", str(config))
    assert fresh.returncode == 0 and "ORDER DATA STALE" not in fresh.stdout
    age(path, 30)
    stale = run_mailbot("status", "--config", str(config))
    assert "ORDER DATA STALE" in stale.stdout and "30.0 hours old" in stale.stdout
    report = json.loads(run_mailbot("status", "--json", "--config", str(config)).stdout)
    assert report["orders"]["stale"] and report["orders"]["age_hours"] == 30.0
