"""Working days on the official PRC calendar (法定节假日 and 调休 make-up workdays).

`chinesecalendar` knows the State Council's holiday arrangements up to the year it was released
for; the admin-editable WorkdayOverride table adds or corrects days (e.g. next year's arrangement,
published each November, before a package update). For a year the package does not know and for
which no override has been entered, Monday–Friday is assumed and `calendar_gaps()` tells the admin
which year must be entered.
"""

import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)

MAX_SPAN_DAYS = 3660  # refuse runaway loops on absurd inputs


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from hqzt.core.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _is_workday(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    return _is_workday(day, _overrides(day, day))


def add_workdays(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (a deadline of 1 working day for a task given
    on Friday falls on Monday, or later across a holiday)."""
    if days <= 0:
        return start
    overrides = _overrides(start, start + datetime.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if (day - start).days > MAX_SPAN_DAYS:
            raise ValueError("working-day span too long")
        if _is_workday(day, overrides):
            counted += 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("working-day span too long")
    overrides = _overrides(start, end)
    return sum(
        _is_workday(start + datetime.timedelta(days=i), overrides)
        for i in range(1, (end - start).days + 1)
    )


def calendar_gaps(today: datetime.date) -> list[int]:
    """Years (this and next) that neither the package nor the override table covers."""
    from hqzt.core.models import WorkdayOverride

    return [
        year
        for year in (today.year, today.year + 1)
        if not package_knows(year) and not WorkdayOverride.objects.filter(date__year=year).exists()
    ]
