from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Whose system this is, on every page (the staff shell, the portal, the sign-in page)."""
    return {"site_city": settings.HQZT_CITY, "site_bureau": settings.HQZT_BUREAU}
