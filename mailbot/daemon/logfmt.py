"""One structured log line: `event key=value key="a value"`, easy to grep and to parse."""

from __future__ import annotations


def logfmt(event: str, **fields) -> str:
    parts = [event]
    for key, value in fields.items():
        parts.append(f"{key}={_value(value)}")
    return " ".join(parts)


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
