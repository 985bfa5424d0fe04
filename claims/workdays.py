"""Chinese working days (SPEC: statutory holidays and make-up workdays count, via the
``chinesecalendar`` package)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Years the package does not know yet: fall back to Monday–Friday.
        return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``day``."""
    current = day
    left = max(int(n), 0)
    while left > 0:
        current += dt.timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current
