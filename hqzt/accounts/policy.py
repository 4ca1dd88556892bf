"""The 等保 security profile (SECURITY_PROFILE=dengbao): stricter rules a bureau's deployment
switches on, while the embedded demo keeps a plain login.

Every rule reads the setting when asked rather than at start-up, so that one deployment (and one
test, with override_settings) sees a consistent profile across validators, middleware and views.
"""

import datetime

from django.conf import settings

from hqzt.accounts.models import Role, User
from hqzt.core import clock

DENGBAO = "dengbao"
PROFILES = {"", DENGBAO}

# Roles that see many stations or configure the system: a stolen password alone must not be enough.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def dengbao_profile() -> bool:
    return settings.SECURITY_PROFILE == DENGBAO


def password_expired(user: User) -> bool:
    """Periodic rotation (等保 身份鉴别): a password older than PASSWORD_MAX_AGE_DAYS."""
    if not dengbao_profile():
        return False
    max_age = datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    return clock.now() - user.password_changed_at > max_age


def second_factor_required(user: User) -> bool:
    return dengbao_profile() and user.role in SECOND_FACTOR_ROLES
