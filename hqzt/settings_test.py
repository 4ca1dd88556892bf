"""Settings for the test suite: production settings with test-only secrets and fast hashing.

Tests run against the production configuration (DEBUG off) so that what they prove holds in a
deployment; only what would make tests slow or need TLS is relaxed here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
# 32 bytes, url-safe base64: the shape of a real key, published here so it protects nothing.
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS1ub3QtZm9yLXVzZSE=")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HQZT_BASE_URL", "https://hqzt.example.gov.cn")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from hqzt.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Static files come straight from the source folders (no collectstatic before tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every test run gets databases of its own, so that two checkouts (or two CI runs) testing at once
# on one machine never share one: pytest-xdist gives all workers of a run the same TESTRUNUID and
# appends the worker name to the database name itself.
_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:12] or f"p{os.getpid()}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: concurrency tests need real SQLite locking.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"hqzt-test-{_RUN_ID}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_hqzt_{_RUN_ID}"}  # noqa: F405

# The test framework empties every table between transactional tests, which the audit table's
# append-only triggers would refuse; hqzt/audit/tests install them to prove they work.
AUDIT_APPEND_ONLY = False
