"""What a page costs in queries once the user's session is settled, for the query-count tests.

The first request after a login writes the session (login time, idle time-out); later requests
within SESSION_REFRESH_SECONDS do not (accounts/middleware.py). Counting that first request would
make a page look dearer the first time it is opened than the second, so the page is requested
once before it is counted."""

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_queries(client: Client, url: str) -> tuple[list[dict], HttpResponse]:
    """The queries of one settled GET of `url` (which must answer 200), and its response."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return captured.captured_queries, response
