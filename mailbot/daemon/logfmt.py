"""One structured log line: `event key=value key="a value"`, easy to grep and to parse.

With `[daemon] log_format = "json"` the same line is one JSON object
(`JsonFormatter`): the line keeps its event and fields (`LogLine`), so the
JSON is made from the values, not by parsing the text back.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone


class LogLine(str):
    """The text line, carrying the event and fields it was made from."""

    event: str
    fields: dict


def logfmt(event: str, **fields) -> str:
    parts = [event]
    for key, value in fields.items():
        parts.append(f"{key}={_value(value)}")
    line = LogLine(" ".join(parts))
    line.event, line.fields = event, fields
    return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event and fields (or the plain message)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name}
        if isinstance(record.msg, LogLine) and not record.args:
            entry["event"] = record.msg.event
            for key, value in record.msg.fields.items():
                entry.setdefault(key, _json_value(value))
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True)  # ASCII: a customer's control characters stay escaped


def _json_value(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return round(value, 1)
    return str(value)


def _value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    if not text or any(c in text for c in ' ="\\') or any(ord(c) < 32 for c in text):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        return f'"{escaped}"'
    return text
