from django.conf import settings
from django.http import HttpRequest

from hqzt.core.navigation import nav_for
from hqzt.stations.principles import SERVICE_PRINCIPLES


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "site_city": settings.HQZT_CITY,
        "site_bureau": settings.HQZT_BUREAU,
        "service_principles": SERVICE_PRINCIPLES,
        "nav_items": nav_for(user, request.path) if user and user.is_authenticated else [],
    }
