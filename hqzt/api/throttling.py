"""The API's throttle: the pages' limiter (core/ratelimit.py) behind DRF's throttle interface, so
the API and the pages count the same way, in the same cache, per the same client address."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from hqzt.core.clientip import ratelimit_key
from hqzt.core.ratelimit import rate_hit


class PortalRateThrottle(BaseThrottle):
    """The public portal's writes: settings.API_PORTAL_RATE per client, one count shared by every
    portal endpoint (read at each request). Over the limit DRF answers 429 with Retry-After."""

    group = "api:portal"
    rate_setting = "API_PORTAL_RATE"

    def allow_request(self, request, view) -> bool:
        hit = rate_hit(
            self.group, getattr(settings, self.rate_setting), ratelimit_key(self.group, request)
        )
        self._retry_after = hit.retry_after
        return hit.allowed

    def wait(self) -> float | None:
        return getattr(self, "_retry_after", None)
