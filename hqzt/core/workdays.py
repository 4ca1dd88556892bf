"""Working days on the official PRC calendar (法定节假日 and 调休 make-up workdays).

Three sources, in this order:
1. the admin's WorkdayOverride table (系统管理 → 节假日与调休): corrections, and next year's
   arrangement as soon as the State Council publishes it (each November), before a package knows it;
2. `chinesecalendar`, which has the State Council's arrangements (holidays and make-up workdays)
   up to the year it was released for — 2026 for 1.11.0, the newest release as of 2026-11;
3. for a year it does not know: the statutory holidays that the law fixes without the yearly
   notice (《全国年节及纪念日放假办法》, State Council Order 795: 元旦, 春节 from 除夕,
   清明, 劳动节, 端午, 中秋, 国庆, by the lunar calendar, one falling on a weekend made up
   on the next working day) from the `holidays` package, and Monday–Friday otherwise. Make-up
   Saturdays are only in the yearly notice, so `calendar_gaps()` keeps telling the admin to
   enter that year until its override rows exist.

Nothing here raises for a date outside what the packages know.
"""

import datetime
import functools
import logging

import chinese_calendar
import holidays

logger = logging.getLogger(__name__)

MAX_SPAN_DAYS = 3660  # refuse runaway loops on absurd inputs


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from hqzt.core.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


@functools.cache
def package_knows(year: int) -> bool:
    """Whether chinesecalendar has the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days off the law itself fixes for `year` (no make-up workdays: those come with the
    yearly notice)."""
    return frozenset(holidays.China(years=year, categories=holidays.PUBLIC))


def _is_workday(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    if package_knows(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


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
    """Years (this and next) whose official arrangement is neither in the package nor entered in
    the override table: their make-up workdays are unknown."""
    from hqzt.core.models import WorkdayOverride

    return [
        year
        for year in (today.year, today.year + 1)
        if not package_knows(year) and not WorkdayOverride.objects.filter(date__year=year).exists()
    ]
