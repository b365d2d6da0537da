"""The `mailbot` command."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .config import Config, load_config
from .errors import ConfigError
from .resources import bundled

EXIT_CONFIG = 2


def _load(config_path: str | None) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(EXIT_CONFIG)


def _pipeline(config: Config, **kwargs):
    from .pipeline import Pipeline

    try:
        return Pipeline.from_config(config, **kwargs)
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(EXIT_CONFIG)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mailbot")
@click.option("-v", "--verbose", is_flag=True, help="Log progress too, not only warnings, to stderr.")
def main(verbose: bool) -> None:
    """Triage for the Keysme support@ inbox: read, classify, apply the return policy, draft replies."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message, one per line.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")
@click.option("--orders", "orders_path", type=click.Path(), help="Order data CSV (overrides the config).")
@click.option("--store", "store_path", type=click.Path(),
              help="SQLite store for triage's decisions (default: beside the config's store, *.triage.sqlite3).")
@click.option("--redecide", is_flag=True, help="Decide again even where the store has a decision.")
def triage(paths, as_json, config_path, orders_path, store_path, redecide) -> None:
    """Triage .eml files, folders, a Maildir or an mbox.

    Prints a table, or one JSON line per message with --json. Touches no
    mailbox and sends nothing.
    """
    from .sources import read_paths
    from .report import table
    from .store import Store

    config = _load(config_path)
    for path in paths:
        if not Path(path).exists():
            raise click.BadParameter(f"{path}: no such file or folder", param_hint="PATHS")
    store = Store(store_path or config.triage_store_path())
    pipeline = _pipeline(config, orders_path=orders_path, store=store)
    results = []
    for raw in read_paths(paths, max_bytes=config.daemon.max_message_bytes):  # the daemon's limit
        result = pipeline.triage(raw, redecide=redecide)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            results.append(result)
    if not as_json:
        click.echo(table(results))
    store.close()


@main.command()
def demo() -> None:
    """Dry-run the pipeline on the bundled sample mailbox."""
    from .sources import read_paths
    from .report import table
    from .store import Store

    from .delivery.intake import Delivery

    examples = bundled("examples")
    config = Config(mode="dry-run")
    store = Store(":memory:")
    pipeline = _pipeline(config, orders_path=str(examples / "orders.csv"), store=store)
    pipeline.deliver = Delivery(config, store)  # dry-run: it only reports what it would do
    results = [pipeline.triage(raw) for raw in read_paths([examples / "inbox"])]
    click.echo(f"mailbot demo: {len(results)} messages from {examples / 'inbox'} "
               f"with orders from {examples / 'orders.csv'} (dry-run: nothing is written or sent)\n")
    click.echo(table(results))
    click.echo("\nWhere each reply would go (mode draft: into the review queue, for a person to approve):")
    for number, r in enumerate(results, 1):
        click.echo(f"{number:3d}. {_destination(r)}")


def _destination(result: dict) -> str:
    """Where a reply would go, from the delivery stage's dry-run trace."""
    if result.get("error"):
        return f"quarantined: {result['error']}"
    if result.get("reply") is None:
        return "no reply" + (" (left for a person)" if result.get("action") == "escalate_human" else "")
    trace = result.get("trace") or []
    stop = next((line for line in trace if line.startswith("guard: STOP")), None)
    if stop:
        return f"no reply, the loop guard stops it: {stop[len('guard: STOP '):]}"
    to = next((line[len("deliver: to "):] for line in trace if line.startswith("deliver: to ")), result.get("from"))
    return f"draft to {to}, \"{result['reply']['subject']}\" ({result['reply']['template']})"


@main.command("check-config")
@click.argument("config_file", required=False, type=click.Path())
def check_config_command(config_file) -> None:
    """Check config, rules, templates and model.

    Reports every problem with its file and key; exits 2 if there is any.
    """
    from .checkconfig import check_config

    problems = check_config(config_file)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(EXIT_CONFIG)
    click.echo(f"{config_file or '(defaults)'}: config, rules, templates and model OK")


@main.command()
@click.argument("message", type=click.Path(exists=True))
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")
@click.option("--orders", "orders_path", type=click.Path(), help="Order data CSV.")
def explain(message, config_path, orders_path) -> None:
    """Show one message's decision with its full trace."""
    from .sources import read_paths

    config = _load(config_path)
    pipeline = _pipeline(config, orders_path=orders_path, store=None)
    for raw in read_paths([message], max_bytes=config.daemon.max_message_bytes):
        r = pipeline.triage(raw)
        click.echo(f"{r['source']}\n  from {r['from']}: {r['subject']!r} ({r['date']})")
        if r["error"]:
            click.echo(f"  ERROR {r['error']}")
        click.echo(f"  intent {r['intent']} ({r['confidence']}), language {r['language']}, automated {r['automated']}")
        click.echo(f"  orders {r['order_numbers']}, tracking {[t['number'] for t in r['tracking_numbers']]}")
        click.echo(f"  dates {[(d['text'], d['date'], d.get('role')) for d in r['dates']]}")
        click.echo(f"  attachments {[(a['filename'], a['evidence']) for a in r['attachments']]}")
        click.echo(f"  => {r['action']} by rule {r['rule']}; missing {r['missing_info']}")
        click.echo("  trace:")
        for line in r["trace"]:
            click.echo(f"    {line}")
        if r["reply"]:
            click.echo(f"\n--- reply ({r['reply']['template']}) ---\nSubject: {r['reply']['subject']}\n\n{r['reply']['body']}")


@main.command()
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML) with [[accounts]].")
@click.option("--once", is_flag=True, help="One pass over every folder, then exit (for cron and tests).")
@click.option("--dry-run", is_flag=True,
              help="Decide and print JSON lines; change neither mailbox nor store (as mode = \"dry-run\").")
@click.option("--orders", "orders_path", type=click.Path(), help="Order data CSV (overrides the config).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")
def run(config_path, once, dry_run, orders_path, store_path) -> None:
    """Watch the IMAP folders and triage new mail.

    Tracks each folder by UIDVALIDITY and UID in the store, never by the
    Seen flag; marks each message with $MailbotTriaged (or $MailbotFailed)
    after its decision is committed. SIGTERM or SIGINT stop it cleanly.
    Exits 1 when --once gave up on a folder, 2 on a config error.
    """
    import threading

    from .daemon.accounts import check_accounts
    from .daemon.lock import StoreBusy
    from .daemon.runner import Daemon, log_to_stderr, stop_on_signals

    config = _load(config_path)
    if dry_run:
        config = config.model_copy(update={"mode": "dry-run"})
    dry_run = config.mode == "dry-run"  # set here or in the config: the mailbox is left alone either way
    log_to_stderr()
    stop = threading.Event()
    stop_on_signals(stop)
    echo_lock = threading.Lock()

    def print_result(handled) -> None:
        with echo_lock:
            click.echo(json.dumps(handled.result, ensure_ascii=False))

    try:
        check_accounts(config)  # before the slow model load
        pipeline = _pipeline(config, orders_path=orders_path, store=None)
        daemon = Daemon(config, pipeline, store_path or config.store_path(), dry_run=dry_run,
                        on_handled=print_result if dry_run else None, stop=stop)
        sys.exit(daemon.run_once() if once else daemon.run_forever())
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(EXIT_CONFIG)
    except StoreBusy as e:
        click.echo(f"mailbot: {e}", err=True)
        sys.exit(1)


@main.command()
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML) with [[accounts]].")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
def status(config_path, store_path, as_json) -> None:
    """Show each folder's checkpoint and errors.

    For every watched folder: UIDVALIDITY and last UID handled, messages by
    state, last poll, last error; then the quarantined messages with their
    errors. Reads the store only; talks to no server.
    """
    from .daemon.status import format_status, status_report
    from .store import Store

    config = _load(config_path)
    path = Path(store_path) if store_path else config.store_path()
    if not path.exists():
        click.echo(f"mailbot: no store at {path}: `mailbot run` has not run with it yet", err=True)
        sys.exit(1)
    store = Store(path)
    report = status_report(store, config)
    store.close()
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_status(report))


# Review and delivery (mailbot/delivery/cli.py): `review ...` and `send-approved`.
from .delivery.cli import COMMANDS as _DELIVERY_COMMANDS  # noqa: E402

for _command in _DELIVERY_COMMANDS:
    main.add_command(_command)


@main.group()
def model() -> None:
    """Train and evaluate the intent classifier."""


@model.command("train")
@click.option("--corpus", type=click.Path(exists=True), help="Folder of *.jsonl (default: nlp/corpus).")
@click.option("--output", type=click.Path(), help="Where the pipeline goes (default: the bundled one).")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
def model_train(corpus, output, seed) -> None:
    """Train the intent model from the corpus (fixed seed)."""
    from .classify.intent import BUNDLED_MODEL
    from .classify.train import train_model

    nlp_dir = bundled("nlp")
    summary = train_model(Path(corpus) if corpus else nlp_dir / "corpus", nlp_dir / "config.cfg",
                          Path(output) if output else BUNDLED_MODEL, seed=seed)
    click.echo(f"trained on {summary['train']} examples (validation {summary['validation']}, "
               f"dev {summary['dev']} held out); saved to {output or BUNDLED_MODEL}")


@model.command("eval")
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--model", "model_path", type=click.Path(exists=True), help="Pipeline to evaluate.")
def model_eval(path, model_path) -> None:
    """Score the intent model on the dev split or PATH.

    Precision, recall and F1 per intent, macro-F1 and the confusion matrix.

    PATH is a .jsonl file like the corpus, or a folder of mail with an
    expected.csv (columns file, intent) as examples/ has.
    """
    from .classify.evaluate import evaluate
    from .classify.labelled import classify_labelled

    gold, predicted, confidence = classify_labelled(path, model_path or "")
    click.echo(evaluate(gold, predicted, confidence).format())
