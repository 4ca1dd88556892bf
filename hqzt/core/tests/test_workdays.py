import datetime

import pytest

from hqzt.core.models import WorkdayOverride
from hqzt.core.workdays import add_workdays, calendar_gaps, is_workday, workdays_between

pytestmark = pytest.mark.django_db
D = datetime.date


def test_national_day_and_mid_autumn_2025():
    # 2025: holiday 1–8 October; make-up workdays Sunday 28 September and Saturday 11 October.
    assert is_workday(D(2025, 9, 28))
    assert not is_workday(D(2025, 10, 1)) and not is_workday(D(2025, 10, 8))
    assert is_workday(D(2025, 10, 11))
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Friday → the make-up Sunday
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)  # across the whole holiday
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)  # the make-up Saturday counts
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 12)) == 3


def test_zero_and_reverse_spans():
    assert add_workdays(D(2025, 3, 3), 0) == D(2025, 3, 3)
    assert workdays_between(D(2025, 3, 5), D(2025, 3, 3)) == 0


def test_unknown_year_falls_back_to_weekdays_and_overrides():
    # chinesecalendar does not know 2027 yet.
    assert is_workday(D(2027, 2, 8))  # a Monday
    assert not is_workday(D(2027, 2, 6))  # a Saturday
    WorkdayOverride.objects.create(date=D(2027, 2, 8), is_workday=False, note="2027年春节")
    WorkdayOverride.objects.create(date=D(2027, 2, 6), is_workday=True, note="调休上班")
    assert not is_workday(D(2027, 2, 8))
    assert is_workday(D(2027, 2, 6))
    assert add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 6)


def test_overrides_also_correct_known_years():
    WorkdayOverride.objects.create(date=D(2025, 3, 3), is_workday=False, note="临时停工")
    assert add_workdays(D(2025, 2, 28), 1) == D(2025, 3, 4)


def test_calendar_gaps_tell_the_admin_which_year_to_enter():
    assert calendar_gaps(D(2026, 11, 25)) == [2027]
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert calendar_gaps(D(2026, 11, 25)) == []
