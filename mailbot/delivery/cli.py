"""`mailbot review ...` and `mailbot send-approved`: registered on the main command in mailbot/cli.py."""

from __future__ import annotations

import json
import sys

import click

from ..config import Config, load_config
from ..errors import ConfigError, MailbotError
from .vocabulary import INTENTS

EXIT_CONFIG = 2

config_option = click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")
store_option = click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")


def _open(config_path: str | None, store_path: str | None):
    from ..configfile import find_config
    from ..store import Store

    try:
        choice = find_config(config_path)
        click.echo(choice.describe(), err=True)
        config = load_config(choice.path)
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(EXIT_CONFIG)
    return config, Store(store_path or config.store_path())


def _review(config: Config, store):
    from .review import Review

    return Review(config, store)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"mailbot: {message}", err=True)
    sys.exit(code)


@click.group()
def review() -> None:
    """Review drafts: list, show, approve, reject."""


@review.command("list")
@config_option
@store_option
@click.option("--all", "show_all", is_flag=True, help="Every recent draft, not only the pending ones.")
def review_list(config_path, store_path, show_all) -> None:
    """Pending drafts, newest first; failed sends.

    Failed sends (5xx, given up after retries, in doubt after a crash) are
    listed after the drafts, with their error.
    """
    from .review import stop_reason

    config, store = _open(config_path, store_path)
    queue = _review(config, store)
    drafts = queue.recent() if show_all else queue.pending()
    click.echo(f"{'all recent' if show_all else 'pending'} drafts ({len(drafts)}), newest first:")
    for d in drafts:
        confidence = f"{d.confidence:.2f}" if d.confidence is not None else "-"
        state = f"{d.status:8} " if show_all else ""
        click.echo(f"  {d.id:>5}  {state}{d.created_at[:16]}  {_fit(d.recipient or '(no safe recipient)', 28)}  "
                   f"{_fit(f'{d.intent} -> {d.action}', 40)}  {confidence:>4}  {_fit(d.subject, 40)}")
    if not show_all:
        stopped = queue.stopped()
        if stopped:
            click.echo(f"stopped by the loop guard ({len(stopped)}; never sent: answer by hand, or reject to clear):")
        for d in stopped:
            why = stop_reason(d)
            click.echo(f"  {d.id:>5}  {d.created_at[:16]}  {_fit(d.original_from, 28)}  {_fit(d.subject, 30)}  {why}")
    failed = queue.failed()
    click.echo(f"failed sends ({len(failed)}):" if failed else "failed sends: none")
    for d, entry in failed:
        click.echo(f"  {d.id:>5}  FAILED  {entry.updated_at[:16]}  {_fit(entry.recipient, 28)}  "
                   f"attempts {entry.attempts}: {entry.last_error}")
    store.close()


@review.command("show")
@click.argument("draft_id", type=int)
@config_option
@store_option
def review_show(draft_id, config_path, store_path) -> None:
    """The original, the facts, the trace and the draft."""
    from .review import ReviewError

    config, store = _open(config_path, store_path)
    try:
        view = _review(config, store).show(draft_id)
    except ReviewError as e:
        _fail(str(e))
    d = view.draft
    echo = click.echo
    echo(f"draft {d.id}: {d.status} (created {d.created_at})")
    echo("\n--- original ---")
    echo(f"From: {d.original_name} <{d.original_from}>" if d.original_name else f"From: {d.original_from}")
    echo(f"Subject: {d.original_subject}\nDate: {d.original_date or '-'}\nMessage-ID: {d.original_message_id or '-'}\n")
    echo(d.original_text.rstrip())
    echo("\n--- facts ---")
    for key, value in json.loads(d.facts).items():
        echo(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    confidence = f"{d.confidence:.2f}" if d.confidence is not None else "-"
    echo(f"\nintent {d.intent} ({confidence}), automated {bool(d.automated)} => {d.action} by rule {d.rule}")
    echo("\n--- trace ---")
    for line in json.loads(d.trace):
        echo(f"  {line}")
    echo("\n--- delivery ---")
    for line in json.loads(d.delivery_trace):
        echo(f"  {line}")
    echo("\n--- draft reply ---")
    echo(f"To: {d.recipient_name} <{d.recipient}>" if d.recipient else "To: (no safe recipient: answer by hand)")
    echo(f"Subject: {d.subject}\nIn-Reply-To: {d.in_reply_to or '-'}\nMessage-ID: {d.message_id}\n")
    echo(d.final_body.rstrip())
    if d.edited_body is not None:
        echo("\n(edited by the reviewer; the original draft is in the events)")
    if d.reject_reason:
        echo(f"\nrejected by {d.reviewer}: {d.reject_reason}")
    if view.outbox is not None:
        o = view.outbox
        echo(f"\n--- outbox ---\nstate {o.state}, attempts {o.attempts}, "
             f"{'automatic' if o.automatic else 'approved'}, sent {o.sent_at or '-'}, Sent folder {o.sent_folder}")
        if o.last_error:
            echo(f"last error: {o.last_error}")
    echo("\n--- events ---")
    for at, event, actor, _detail in view.events:
        echo(f"  {at}  {event:15} {actor}")
    store.close()


@review.command("approve")
@click.argument("draft_id", type=int)
@click.option("--edit", is_flag=True, help="Edit the reply in $EDITOR first.")
@click.option("--intent", type=click.Choice(INTENTS), help="The right intent, if the classifier's is wrong (training data).")
@config_option
@store_option
def review_approve(draft_id, edit, intent, config_path, store_path) -> None:
    """Approve a draft: its reply joins the outbox.

    `send-approved` or the daemon sends it.
    """
    from .review import ReviewError, reviewer

    config, store = _open(config_path, store_path)
    queue = _review(config, store)
    edited = None
    try:
        if edit:
            draft = queue.show(draft_id).draft
            edited = click.edit(draft.final_body, extension=".txt", require_save=True)
            if edited is None:
                _fail("the editor closed without saving: nothing approved")
        entry = queue.approve(draft_id, actor=reviewer(), edited_body=edited, intent=intent)
    except ReviewError as e:
        _fail(str(e))
    was_edited = queue.show(draft_id).draft.edited_body is not None
    click.echo(f"draft {draft_id} approved{' (edited)' if was_edited else ''}: "
               f"queued to {entry.recipient} as {entry.message_id}")
    store.close()


@review.command("reject")
@click.argument("draft_id", type=int)
@click.option("--reason", required=True, help="Why (kept with the draft; it becomes training data).")
@click.option("--intent", type=click.Choice(INTENTS), help="The right intent, if the classifier's is wrong (training data).")
@config_option
@store_option
def review_reject(draft_id, reason, intent, config_path, store_path) -> None:
    """Reject a draft; nothing is sent."""
    from .review import ReviewError, reviewer

    config, store = _open(config_path, store_path)
    try:
        _review(config, store).reject(draft_id, reason=reason, actor=reviewer(), intent=intent)
    except ReviewError as e:
        _fail(str(e))
    click.echo(f"draft {draft_id} rejected")
    store.close()


@review.command("retry")
@click.argument("draft_id", type=int)
@config_option
@store_option
def review_retry(draft_id, config_path, store_path) -> None:
    """Queue a failed reply again.

    After fixing the cause, or after checking that an in-doubt reply was
    not delivered.
    """
    from .review import ReviewError, reviewer

    config, store = _open(config_path, store_path)
    try:
        entry = _review(config, store).retry(draft_id, actor=reviewer())
    except ReviewError as e:
        _fail(str(e))
    click.echo(f"draft {draft_id}: queued again to {entry.recipient}")
    store.close()


@review.command("resume-auto-send")
@config_option
@store_option
def review_resume(config_path, store_path) -> None:
    """Let auto-send resume after the hourly cap.

    The cap pauses `mode = "send"` until a person runs this.
    """
    from .review import reviewer

    config, store = _open(config_path, store_path)
    paused = _review(config, store).resume_auto_send(actor=reviewer())
    click.echo(f"auto-send resumed (paused since {paused['since']}: {paused['reason']})" if paused
               else "auto-send was not paused")
    store.close()


@review.command("unblock")
@click.argument("address")
@config_option
@store_option
def review_unblock(address, config_path, store_path) -> None:
    """Let replies go to ADDRESS again after a bounce blocked it.

    Blocks also expire on their own after delivery.bounce_block_days.
    """
    from .ledger import StoreLedger

    config, store = _open(config_path, store_path)
    was = StoreLedger(store.db).unblock(address)
    store.close()
    if was is None:
        _fail(f"{address} is not blocked by a bounce (the config's delivery.block_list is edited in the config)")
    click.echo(f"{address} unblocked; it was blocked for: {was}")


@click.command("send-approved")
@config_option
@store_option
def send_approved(config_path, store_path) -> None:
    """Send the due replies in the outbox, once.

    Also puts new drafts into the Drafts folder and recovers replies a
    crashed run left behind. Exits 1 if a reply failed in this pass.
    """
    from .runner import DeliveryBusy, run_once

    config, store = _open(config_path, store_path)
    try:
        report = run_once(config, store)
    except ConfigError as e:
        _fail(f"config error: {e}", EXIT_CONFIG)
    except DeliveryBusy as e:
        _fail(str(e))
    except MailbotError as e:
        _fail(str(e))
    for line in report.lines():
        click.echo(line)
    store.close()
    # The cause in one line on stderr, last, for whoever runs this from cron or a shell.
    if report.smtp_down:
        _fail(f"could not send: SMTP server {report.smtp_down}; the replies wait in the outbox")
    if report.errors:
        _fail(report.errors[0])
    if report.failed:
        _fail(f"{len(report.failed)} repl{'y' if len(report.failed) == 1 else 'ies'} failed in this pass; "
              "see `mailbot review list`")


def _fit(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


COMMANDS = (review, send_approved)
