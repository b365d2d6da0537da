"""Dates in Japanese and Chinese: "11月3日", "昨日", "3日前", "三天前".

These scripts have no spaces, so the word-led search in dates.py never
starts inside them; this small pass runs only on text that has CJK
characters in it (one cheap search for the others).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

HAS_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10}
RELATIVE_DAYS = {"一昨日": 2, "おととい": 2, "前天": 2, "昨日": 1, "きのう": 1, "昨天": 1, "今日": 0, "きょう": 0,
                 "今天": 0}
PATTERN = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s?年\s?)?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号號]"
    r"|(?P<n>\d{1,2}|[一二两兩三四五六七八九十]{1,2})\s?(?:個|个)?(?P<u>日|天|週間|周|星期|か月|个月|ヶ月)\s?前"
    rf"|(?P<rel>{'|'.join(sorted(RELATIVE_DAYS, key=len, reverse=True))})"
)
_UNIT_DAYS = {"日": 1, "天": 1, "週間": 7, "周": 7, "星期": 7, "か月": 30, "个月": 30, "ヶ月": 30}


def find_cjk_dates(text: str, base: date | None) -> list[tuple[str, date, int, int, bool, bool]]:
    """(text, date, start, end, relative, approximate) for each date found."""
    if not HAS_CJK.search(text):
        return []
    out = []
    for m in PATTERN.finditer(text):
        when, relative, approximate = None, False, False
        if m.group("m"):
            month, day = int(m.group("m")), int(m.group("d"))
            year = int(m.group("y")) if m.group("y") else (base.year if base else None)
            if year is None:
                continue
            try:
                when = date(year, month, day)
            except ValueError:
                continue
            if not m.group("y") and base and when > base:
                when = date(year - 1, month, day) if not (month == 2 and day == 29) else None
        elif base is None:
            continue
        elif m.group("n"):
            raw = m.group("n")
            amount = int(raw) if raw.isdigit() else (10 + _NUMERALS.get(raw[1:], 0) if raw.startswith("十") and len(raw) > 1
                                                     else _NUMERALS.get(raw[0], 1) * (10 if raw.endswith("十") and len(raw) > 1 else 1))
            days = amount * _UNIT_DAYS[m.group("u")]
            when, relative, approximate = base - timedelta(days=days), True, _UNIT_DAYS[m.group("u")] > 1
        else:
            when, relative = base - timedelta(days=RELATIVE_DAYS[m.group("rel")]), True
        if when is not None and (base is None or when <= base):
            out.append((m.group(0), when, m.start(), m.end(), relative, approximate))
    return out
