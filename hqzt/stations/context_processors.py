from django.http import HttpRequest

from hqzt.stations.principles import SERVICE_PRINCIPLES


def principles(request: HttpRequest) -> dict[str, object]:
    """The six service principles (§4) for the portal's footer and notice board."""
    return {"service_principles": SERVICE_PRINCIPLES}
