import factory

from hqzt.records.models import GoodPractice
from hqzt.stations.tests.factories import StationFactory, StationMemberFactory


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    """An unpublished 典型案例 written by a staff member of the station (§6.6.3). A ClosedBook has
    no factory: it is a frozen PDF that only records.closing.book_close makes."""

    class Meta:
        model = GoodPractice

    station = factory.SubFactory(StationFactory)
    title = factory.Sequence(lambda n: f"计量服务进园区经验{n}")
    summary = "每月一次集中检定，企业少跑腿。"
    created_by = factory.LazyAttribute(lambda o: StationMemberFactory(station=o.station).user)
