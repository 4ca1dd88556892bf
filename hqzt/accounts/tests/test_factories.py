import pytest

from hqzt.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    user = UserFactory()
    assert user.pk is not None and user.check_password(PASSWORD)
    user.full_clean()
