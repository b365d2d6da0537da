"""How far the store can trust the bot: what reviewers did with its drafts, per intent, rule and action.

Counts the drafts a person decided in a period: approved unchanged,
approved with edits (and how big the edits were), rejected (and why).
Automatic sends are not counted: nobody judged them.
"""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass
from statistics import median

GROUPS = ("intent", "rule", "action")


@dataclass(frozen=True)
class QualityRow:
    key: str
    unchanged: int
    edited: int
    median_edit: int | None  # characters changed, the median over the edited drafts
    rejected: int
    reasons: tuple[str, ...]  # the rejections' reasons, newest first

    @property
    def total(self) -> int:
        return self.unchanged + self.edited + self.rejected


@dataclass(frozen=True)
class QualityReport:
    since: str | None  # ISO timestamp, or None for all time
    total: QualityRow
    groups: dict[str, tuple[QualityRow, ...]]  # "intent", "rule", "action" -> rows, largest first


def edit_size(before: str, after: str) -> int:
    """Characters a reviewer changed: the larger side of each differing stretch."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def reply_diff(before: str, after: str) -> str:
    """What a reviewer changed, as a unified diff (kept whole in the draft's `edited` event)."""
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "draft", "sent", n=1))


def quality_report(db: sqlite3.Connection, since: str | None) -> QualityReport:
    rows = db.execute(
        "SELECT intent, rule, action, status, body, edited_body, reject_reason FROM delivery_drafts "
        "WHERE status IN ('approved', 'rejected') AND reviewer IS NOT NULL AND reviewed_at >= ? "
        "ORDER BY reviewed_at DESC", (since or "",)).fetchall()
    decided = [_Decided(intent or "-", rule or "-", action, status, body, edited, reason)
               for intent, rule, action, status, body, edited, reason in rows]
    groups = {}
    for group in GROUPS:
        keys = sorted({getattr(d, group) for d in decided})
        made = [_row(key, [d for d in decided if getattr(d, group) == key]) for key in keys]
        groups[group] = tuple(sorted(made, key=lambda r: (-r.total, r.key)))
    return QualityReport(since, _row("all", decided), groups)


@dataclass(frozen=True)
class _Decided:
    intent: str
    rule: str
    action: str
    status: str
    body: str
    edited: str | None
    reason: str | None


def _row(key: str, decided: list[_Decided]) -> QualityRow:
    approved = [d for d in decided if d.status == "approved"]
    edits = [edit_size(d.body, d.edited) for d in approved if d.edited is not None]
    rejected = [d for d in decided if d.status == "rejected"]
    return QualityRow(key, unchanged=len(approved) - len(edits), edited=len(edits),
                      median_edit=round(median(edits)) if edits else None, rejected=len(rejected),
                      reasons=tuple(d.reason or "" for d in rejected))
