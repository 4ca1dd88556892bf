import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture
def wsgi_app(db):
    """The real WSGI app. Like Django's test client, keep the test's database connection (which
    holds the test transaction) open across requests."""
    from hqzt.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
