"""ISO dates of any precision (2015, 2015-09, 2015-09-04) as inclusive day ranges, for filters."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")


def day_of(value: str | None) -> str | None:
    """The date part of an ISO date or datetime, or None: ``day_of("2018-07-14T11:01:26+04:00")`` -> ``"2018-07-14"``."""
    if not value:
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    try:
        _check(m)
    except ValueError:
        return None
    return m.group(0)


def day_range(value: str | None) -> tuple[str | None, str | None]:
    """First and last day an ISO date covers: ``day_range("2015-09")`` -> ``("2015-09-01", "2015-09-31")``.

    The last day may not exist (09-31); it is only compared as a string.
    """
    day = day_of(value)
    if day is None:
        return None, None
    y, _, rest = day.partition("-")
    if not rest:
        return f"{y}-01-01", f"{y}-12-31"
    if len(rest) == 2:
        return f"{day}-01", f"{day}-31"
    return day, day


def parse_bound(value: str, *, end: bool) -> str:
    """A --from/--to value as a day; ``end`` takes the last day of a year or month.

    Raises ValueError with the reason: ``parse_bound("2015-13", end=False)``.
    """
    m = _ISO.fullmatch(value.strip())
    if not m:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    _check(m)
    lo, hi = day_range(m.group(0))
    assert lo is not None and hi is not None
    return hi if end else lo


def _check(m: re.Match[str]) -> None:
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"date {m.group(0)!r} does not exist") from None
