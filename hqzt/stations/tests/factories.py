import datetime

import factory

from hqzt.org.models import OrgUnit
from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"测试服务站{n}")
    domain_kind = factory.LazyFunction(lambda: DomainKind.objects.get(code="key_enterprise"))
    domain_name = "装备制造行业重点企业"
    site_kind = factory.LazyFunction(lambda: SiteKind.objects.get(code="industrial_park"))
    address = "山西省晋城市城区凤台街1号"
    service_content = "计量、标准化、检验检测等质量技术服务"
    contact_phones = "03562221234"
    supervision_phone = "03562225678"
    superior_unit = factory.LazyFunction(lambda: OrgUnit.objects.get(region_code="140500"))


class StationMemberFactory(factory.django.DjangoModelFactory):
    """A resident staff member who has finished the §5.4.4 onboarding, so the services let them
    register and handle needs. Pass role="chief" for the station's one chief."""

    class Meta:
        model = StationMember

    station = factory.SubFactory(StationFactory)
    user = factory.SubFactory("hqzt.accounts.tests.factories.UserFactory", role="station_staff")
    role = "resident_staff"
    onboarding_trained_on = datetime.date(2025, 1, 10)
