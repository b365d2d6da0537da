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
from .failures import KnownFailures
from .resources import bundled
from .terminal import make_output_inert

EXIT_CONFIG = 2


def _load(config_path: str | None) -> Config:
    from .configfile import find_config

    try:
        choice = find_config(config_path)
        click.echo(choice.describe(), err=True)  # which file, so a setting never "does nothing" unseen
        return load_config(choice.path)
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


class MailbotGroup(KnownFailures):
    """The command group: a store that cannot be used ends any command with one line and exit 3
    (storecheck.py); other known failures with one line and exit 1 or 2 (failures.py)."""

    def fail_known(self, e: BaseException) -> None:
        import sqlite3

        from .storecheck import EXIT_STORE, StoreProblem, problem

        if isinstance(e, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.DataError)):
            raise e  # a bug in mailbot, not a broken store: the traceback is what a developer needs
        if isinstance(e, (StoreProblem, sqlite3.DatabaseError)):
            click.echo(f"mailbot: {problem(e)}", err=True)
            sys.exit(EXIT_STORE)
        super().fail_known(e)


# color=True: click would silently strip ANSI sequences from piped output; terminal.py shows them escaped
# instead, piped or not, so a reader sees that a message carried them (mailbot prints no colours of its own).
@click.group(cls=MailbotGroup, context_settings={"help_option_names": ["-h", "--help"], "color": True})
@click.version_option(__version__, prog_name="mailbot")
@click.option("-v", "--verbose", is_flag=True, help="Log progress too, not only warnings, to stderr.")
def main(verbose: bool) -> None:
    """Triage for the Keysme support@ inbox: read, classify, apply the return policy, draft replies."""
    # Before any handler takes sys.stderr, and left in place for click's own error messages after the
    # command: nothing a message carries reaches a terminal raw (terminal.py).
    make_output_inert()
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
    language = result["reply"].get("language", "en")
    in_language = f", in {language}" if language != "en" else ""
    return f"draft to {to}, \"{result['reply']['subject']}\" ({result['reply']['template']}{in_language})"


@main.command("check-config")
@click.argument("config_file", required=False, type=click.Path())
@click.option("--online", is_flag=True,
              help="Also log in to each account and the SMTP server: credentials, IDLE, folders (mailbot/online.py).")
def check_config_command(config_file, online) -> None:
    """Check config, rules, templates and model.

    Reports every problem with its file and key; exits 2 if there is any.
    With --online, also logs in to each IMAP account and the SMTP server.
    """
    from .checkconfig import check_config
    from .configfile import find_config

    try:
        choice = find_config(config_file)  # FILE, else $MAILBOT_CONFIG, ./mailbot.toml, ...
    except ConfigError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_CONFIG)
    click.echo(choice.describe(), err=True)
    config_file = str(choice.path) if choice.path else None
    problems = check_config(config_file)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(EXIT_CONFIG)
    click.echo(f"{config_file or '(defaults)'}: config, rules, templates and model OK")
    if online:
        from .online import check_online

        findings = check_online(load_config(config_file))
        for finding in findings:
            click.echo(f"error: {finding.text}" if finding.problem else f"ok: {finding.text}",
                       err=finding.problem)
        if any(finding.problem for finding in findings):
            sys.exit(EXIT_CONFIG)


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
            in_language = f", in {r['reply']['language']}" if r["reply"].get("language") else ""
            click.echo(f"\n--- reply ({r['reply']['template']}{in_language}) ---\nSubject: {r['reply']['subject']}"
                       f"\n\n{r['reply']['body']}")


@main.command()
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML) with [[accounts]].")
@click.option("--once", is_flag=True, help="One pass over every folder, then exit (for cron and tests).")
@click.option("--dry-run", is_flag=True,
              help="Decide and print JSON lines; change neither mailbox nor store (as mode = \"dry-run\").")
@click.option("--orders", "orders_path", type=click.Path(), help="Order data CSV (overrides the config).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")
@click.option("--redecide", is_flag=True,
              help="Decide again mail the mailbox marks as handled by an earlier store ($MailbotTriaged) "
                   "that this store does not know.")
def run(config_path, once, dry_run, orders_path, store_path, redecide) -> None:
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
    log_to_stderr(config.daemon.log_format)
    stop = threading.Event()
    stop_on_signals(stop)
    echo_lock = threading.Lock()

    def print_result(handled) -> None:
        with echo_lock:
            click.echo(json.dumps(handled.result, ensure_ascii=False))

    from .storecheck import quick_check

    quick_check(store_path or config.store_path())  # damage found now, not half-way through a pass
    try:
        check_accounts(config)  # before the slow model load
        pipeline = _pipeline(config, orders_path=orders_path, store=None)
        daemon = Daemon(config, pipeline, store_path or config.store_path(), dry_run=dry_run,
                        on_handled=print_result if dry_run else None, stop=stop, redecide=redecide)
        if config.web.enabled and not (once or dry_run):  # the review console in this process (docs/review.md)
            from .web.server import serve_in_thread

            serve_in_thread(config, store_path or config.store_path(), stop)
        code = daemon.run_once() if once else daemon.run_forever()
        for name, error in daemon.gave_up:  # the cause in one line, after the log lines
            click.echo(f"mailbot: gave up on {name}: {error}", err=True)
        sys.exit(code)
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

# The store itself (mailbot/storecli.py): `store check`, `store rebuild`, `store backup`.
from .storecli import store as _store_commands  # noqa: E402

main.add_command(_store_commands)

# The review console (mailbot/web/cli.py): `web` and `user ...`.
from .web.cli import COMMANDS as _WEB_COMMANDS  # noqa: E402

for _command in _WEB_COMMANDS:
    main.add_command(_command)


@main.group()
def model() -> None:
    """Train and evaluate the intent classifier."""


@model.command("train")
@click.option("--corpus", type=click.Path(exists=True), help="Folder of *.jsonl (default: nlp/corpus).")
@click.option("--output", type=click.Path(), help="Where the pipeline goes (default: the bundled one).")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option("--with-reviews", is_flag=True, help="Add the store's reviewed drafts to the corpus.")
@click.option("--config", "config_path", type=click.Path(), help="Config naming the store (with --with-reviews).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (with --with-reviews).")
def model_train(corpus, output, seed, with_reviews, config_path, store_path) -> None:
    """Train the intent model from the corpus (fixed seed), then calibrate its confidence."""
    from .classify.intent import BUNDLED_MODEL
    from .classify.train import train_model

    extra = _reviewed(config_path, store_path) if with_reviews else []
    nlp_dir = bundled("nlp")
    summary = train_model(Path(corpus) if corpus else nlp_dir / "corpus", nlp_dir / "config.cfg",
                          Path(output) if output else BUNDLED_MODEL, seed=seed, extra=extra)
    click.echo(f"trained on {summary['train']} examples (validation {summary['validation']}, "
               f"dev {summary['dev']} held out); saved to {output or BUNDLED_MODEL}")
    if with_reviews:
        click.echo(f"reviewed drafts: {summary['extra']} ({summary['extra_train']} trained on, "
                   f"{summary['extra'] - summary['extra_train']} held out in the dev split)")
    click.echo(f"confidence calibration: temperature {summary['temperature']} (fitted on the validation split)")


def _reviewed(config_path: str | None, store_path: str | None) -> list:
    """The store's reviewed drafts as examples (approvals and corrected rejections)."""
    from .classify.reviews import reviewed_examples
    from .store import Store

    try:
        config = load_config(config_path)
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(2)
    path = store_path or config.store_path()
    if not Path(path).exists():
        click.echo(f"mailbot: no store at {path}", err=True)
        sys.exit(1)
    store = Store(path)
    try:
        return reviewed_examples(store)
    finally:
        store.close()


@model.command("eval")
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--model", "model_path", type=click.Path(exists=True), help="Pipeline to evaluate.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True),
              help="Another pipeline to compare with (e.g. one trained without --with-reviews): prints the gain.")
@click.option("--with-reviews", is_flag=True, help="Add the store's reviewed drafts in the dev bucket to the dev split.")
@click.option("--config", "config_path", type=click.Path(), help="Config (store, classifier.min_confidence).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (with --with-reviews).")
def model_eval(path, model_path, baseline_path, with_reviews, config_path, store_path) -> None:
    """Score the intent model on the dev split or PATH.

    Precision, recall and F1 per intent, macro-F1 and the confusion matrix;
    macro-F1 and a calibration table per language (the rows' "language", else
    the detected one); how much mail the classifier.min_confidence threshold
    lets through and how much of that is wrong.

    PATH is a .jsonl file like the corpus, or a folder of mail with an
    expected.csv (columns file, intent, optional language) as examples/ has.
    """
    from .classify.evaluate import at_threshold, by_language, evaluate, format_by_language
    from .classify.labelled import classify_labelled_rows

    threshold = _load(config_path).classifier.min_confidence
    extra = _reviewed(config_path, store_path) if with_reviews else []
    rows = classify_labelled_rows(path, model_path or "", extra)
    gold, predicted = [r.gold for r in rows], [r.predicted for r in rows]
    confidence, languages = [r.confidence for r in rows], [r.language for r in rows]
    report = evaluate(gold, predicted, confidence)
    click.echo(report.format())
    click.echo("\n" + format_by_language(by_language(gold, predicted, confidence, languages)))
    click.echo("\n" + at_threshold(gold, predicted, confidence, threshold).format())
    click.echo("other thresholds, to choose classifier.min_confidence by:")
    for other in (0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
        if other != threshold:
            click.echo("  " + at_threshold(gold, predicted, confidence, other).format())
    if extra:
        reviewed = [r for r in rows if r.source.startswith("review:")]
        click.echo(f"\nreviewed drafts held out: {len(reviewed)}"
                   + (f", macro-F1 {evaluate([r.gold for r in reviewed], [r.predicted for r in reviewed]).macro_f1:.3f}"
                      if reviewed else ""))
    if baseline_path:
        base = classify_labelled_rows(path, baseline_path, extra)
        base_report = evaluate([r.gold for r in base], [r.predicted for r in base])
        click.echo(f"\ngain over {baseline_path}: macro-F1 {base_report.macro_f1:.3f} -> {report.macro_f1:.3f} "
                   f"({report.macro_f1 - base_report.macro_f1:+.3f}), accuracy {base_report.accuracy:.3f} -> "
                   f"{report.accuracy:.3f} ({report.accuracy - base_report.accuracy:+.3f})")


# OAuth2 logins (mailbot/auth/cli.py): `auth login` and `auth status`.
from .auth.cli import COMMANDS as _AUTH_COMMANDS  # noqa: E402

for _command in _AUTH_COMMANDS:
    main.add_command(_command)
