import factory

from hqzt.org.models import OrgUnit, Section


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A county bureau under the city's (the reference data holds the city, 140500)."""

    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试县{n}市场监督管理局")
    short_name = factory.Sequence(lambda n: f"测试县{n}局")
    level = OrgUnit.Level.COUNTY
    parent = factory.LazyFunction(lambda: OrgUnit.objects.get(region_code="140500"))


class SectionFactory(factory.django.DjangoModelFactory):
    """A bureau section that can lead a need (§6.4)."""

    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"测试科{n}")
    kind = Section.Kind.BUREAU_SECTION
    org_unit = factory.LazyFunction(lambda: OrgUnit.objects.get(region_code="140500"))
