"""Personas shared by every test (STYLE.md): staff of station A, staff of station B, the chief of A,
a section handler, supervisors, an admin and an anonymous visitor."""

import importlib
import os

import pytest
from django.apps import apps
from hypothesis import settings as hypothesis_settings

# Property tests check behaviour, never timing: on a loaded 2-core CI machine an example can
# take longer than hypothesis's default 200 ms deadline, which failed a valid run.
hypothesis_settings.register_profile("hqzt", deadline=None)
hypothesis_settings.load_profile("hqzt")

# Fixtures that drive a need through the workflow (used by the needs and documents tests).
pytest_plugins = ["hqzt.needs.tests.fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls
# made by test set-up code in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters live in the cache (a database table); every test with the database
    starts with none."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        from django.core.cache import cache

        request.getfixturevalue("transactional_db" if _transactional(request) else "db")
        cache.clear()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture
def city(db):
    from hqzt.org.models import OrgUnit

    return OrgUnit.objects.get(region_code="140500")


@pytest.fixture
def county(db):
    """泽州县局, the superior unit of station B."""
    from hqzt.org.models import OrgUnit

    return OrgUnit.objects.get(region_code="140525")


@pytest.fixture
def other_county(db):
    from hqzt.org.models import OrgUnit

    return OrgUnit.objects.get(region_code="140581")


@pytest.fixture
def station_a(city):
    from hqzt.stations.tests.factories import StationFactory

    return StationFactory(name="甲服务站", superior_unit=city)


@pytest.fixture
def station_b(county):
    from hqzt.stations.tests.factories import StationFactory

    return StationFactory(name="乙服务站", superior_unit=county)


@pytest.fixture
def enterprise_a(station_a):
    from hqzt.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="甲站服务的企业有限公司")
    station_a.enterprises.add(enterprise)
    return enterprise


@pytest.fixture
def enterprise_b(station_b):
    from hqzt.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="乙站服务的企业有限公司")
    station_b.enterprises.add(enterprise)
    return enterprise


def _station_user(username, role, station):
    from hqzt.accounts.tests.factories import UserFactory
    from hqzt.stations.models import StationMember

    user = UserFactory(username=username, role="station_staff")
    StationMember.objects.create(
        station=station, user=user, role=role, onboarding_trained_on="2025-01-10"
    )
    return user


@pytest.fixture
def chief_a(station_a):
    return _station_user("chief_a", "chief", station_a)


@pytest.fixture
def staff_a(station_a):
    return _station_user("staff_a", "resident_staff", station_a)


@pytest.fixture
def staff_b(station_b):
    return _station_user("staff_b", "resident_staff", station_b)


@pytest.fixture
def supervisor(city):
    from hqzt.accounts.tests.factories import UserFactory

    return UserFactory(username="supervisor_city", role="supervisor", org_unit=city)


@pytest.fixture
def county_supervisor(county):
    from hqzt.accounts.tests.factories import UserFactory

    return UserFactory(username="supervisor_county", role="supervisor", org_unit=county)


@pytest.fixture
def handler(city):
    from hqzt.accounts.tests.factories import UserFactory
    from hqzt.org.models import Section

    user = UserFactory(username="handler", role="section_handler")
    user.sections.add(Section.objects.get(name="计量科"))
    return user


@pytest.fixture
def admin_user(db):
    from hqzt.accounts.tests.factories import UserFactory

    return UserFactory(username="sysadmin", role="admin")


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: `client_for(staff_a).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


# The data migrations that load reference data (organisation, kinds, need types, channels).
REFERENCE_MIGRATIONS = [
    "hqzt.org.migrations.0002_jincheng_units_and_sections",
    "hqzt.stations.migrations.0002_domain_and_site_kinds",
    "hqzt.needs.migrations.0002_need_types_and_channels",
    "hqzt.org.migrations.0003_routing_sections",
    "hqzt.needs.migrations.0004_default_time_limits",
    "hqzt.needs.migrations.0008_default_need_type_aliases",
    "hqzt.needs.migrations.0016_channel_web_portal_and_miniprogram",
]


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests (browser tests, concurrency tests) empty every table afterwards,
    including what migrations loaded. Django's serialized_rollback would restore it, but
    Playwright's greenlets give later tests a fresh connection object without the serialized
    copy; reloading through the migrations' own functions is simpler and exact. Request this
    fixture first in any transactional test."""
    from hqzt.org.models import OrgUnit

    if not OrgUnit.objects.exists():
        for module in REFERENCE_MIGRATIONS:
            importlib.import_module(module).load(apps, None)
