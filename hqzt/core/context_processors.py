from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hqzt.core.navigation import nav_for, user_place
from hqzt.stations.principles import SERVICE_PRINCIPLES


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_city": settings.HQZT_CITY,
        "site_bureau": settings.HQZT_BUREAU,
        "service_principles": SERVICE_PRINCIPLES,
        "nav": nav_for(user, request.path) if signed_in else None,
        # Lazy: only the shell's user menu reads it, so HTMX fragments cost no query.
        "user_place": SimpleLazyObject(
            lambda: dict(zip(("role", "where"), user_place(user), strict=True))
        )
        if signed_in
        else None,
    }
