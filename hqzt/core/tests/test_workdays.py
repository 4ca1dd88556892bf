import datetime

import pytest

from hqzt.core.models import WorkdayOverride
from hqzt.core.workdays import (
    add_workdays,
    calendar_gaps,
    is_workday,
    package_knows,
    workdays_between,
)

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


def test_2027_without_the_notice_keeps_the_statutory_holidays():
    # chinesecalendar 1.11.0 (the newest) does not know 2027; the statutory days still hold:
    # 除夕 5 Feb (Fri) and 初一–初三 6–8 Feb, the weekend ones made up on 9 and 10 Feb.
    assert not package_knows(2027)
    for day in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)):
        assert not is_workday(day), day
    assert is_workday(D(2027, 2, 11)) and is_workday(D(2027, 1, 4))
    assert not is_workday(D(2027, 4, 5)) and not is_workday(D(2027, 6, 9))  # 清明, 端午
    assert not is_workday(D(2027, 9, 15)) and not is_workday(D(2027, 10, 5))  # 中秋, 国庆
    # A 1-working-day limit given on the eve of the Spring Festival falls after it.
    assert add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 11)
    assert workdays_between(D(2027, 2, 1), D(2027, 2, 12)) == 5


def test_2027_overrides_enter_the_notice():
    WorkdayOverride.objects.create(date=D(2027, 2, 11), is_workday=False, note="2027年春节")
    WorkdayOverride.objects.create(date=D(2027, 2, 20), is_workday=True, note="调休上班")
    assert not is_workday(D(2027, 2, 11))
    assert is_workday(D(2027, 2, 20))  # a Saturday
    assert add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 12)
    assert add_workdays(D(2027, 2, 19), 1) == D(2027, 2, 20)


def test_the_year_after_next_still_answers():
    # Far past what any package knows: statutory days and weekends, never an error.
    assert not is_workday(D(2031, 1, 1)) and is_workday(D(2031, 1, 2))
    assert add_workdays(D(2031, 12, 31), 1) == D(2032, 1, 2)


def test_overrides_also_correct_known_years():
    WorkdayOverride.objects.create(date=D(2025, 3, 3), is_workday=False, note="临时停工")
    assert add_workdays(D(2025, 2, 28), 1) == D(2025, 3, 4)


def test_calendar_gaps_tell_the_admin_which_year_to_enter():
    assert calendar_gaps(D(2026, 11, 25)) == [2027]
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert calendar_gaps(D(2026, 11, 25)) == []


def test_admin_sees_the_2027_gap_and_enters_the_arrangement(client_for, admin_user):
    from django.urls import reverse

    from hqzt.core import clock

    client = client_for(admin_user)
    with clock.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)):
        for url in (reverse("dashboard:home"), reverse("admin:index")):
            page = client.get(url).text
            assert 'data-testid="calendar-gap"' in page and "录入 2027 年放假安排" in page, url
        listing = client.get(reverse("admin:core_workdayoverride_changelist")).text
        assert "2027 年的放假调休安排" in listing and 'data-testid="enter-arrangement"' in listing
        url = reverse("admin:core_workdayoverride_arrangement")
        bad = client.post(url, {"year": 2027, "source": "通知", "holidays": "2月5日"})
        assert "无法识别" in bad.text and not WorkdayOverride.objects.exists()
        clash = {
            "year": 2027,
            "source": "通知",
            "holidays": "2027-02-05 至 2027-02-12",
            "workdays": "2027-02-06",
        }
        assert "同时填在" in client.post(url, clash).text
        wrong_year = {"year": 2027, "source": "通知", "holidays": "2026-10-01"}
        assert "不在 2027 年内" in client.post(url, wrong_year).text
        assert not WorkdayOverride.objects.exists()
        response = client.post(
            url,
            {
                "year": 2027,
                "source": "国办发明电〔2026〕X号",
                "holidays": "2027-01-01 至 2027-01-03\n2027-02-05 至 2027-02-12",
                "workdays": "2027-02-20\n2027年2月21日",
            },
        )
        assert response.status_code == 302
        assert WorkdayOverride.objects.filter(date__year=2027).count() == 13
        assert calendar_gaps(clock.today()) == []
        assert 'data-testid="calendar-gap"' not in client.get(reverse("admin:index")).text
    assert not is_workday(D(2027, 2, 12)) and is_workday(D(2027, 2, 20))
    assert "国办发明电〔2026〕X号" in WorkdayOverride.objects.get(date=D(2027, 2, 20)).note


def test_only_admins_enter_an_arrangement(client_for, staff_a, client):
    from django.urls import reverse

    url = reverse("admin:core_workdayoverride_arrangement")
    for response in (client.get(url), client_for(staff_a).post(url, {"year": 2027})):
        assert response.status_code == 302 and "/login/" in response.url
    assert not WorkdayOverride.objects.exists()
