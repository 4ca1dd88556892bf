"""Production settings refuse to start without their secrets (run as real processes)."""

import os
import subprocess
import sys

from django.conf import settings

SETUP = "import django; django.setup()"


def _run(env_overrides: dict[str, str], code: str = SETUP) -> subprocess.CompletedProcess:
    dropped = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "HQZT_BASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hqzt.settings",
            "HQZT_BASE_URL": "https://hqzt.example.gov.cn",
            **env_overrides,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refuses_to_start_without_secret_key():
    result = _run({"ALLOWED_HOSTS": "hqzt.example.gov.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_to_start_without_allowed_hosts_in_production():
    result = _run({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_starts_with_both():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "hqzt.example.gov.cn"})
    assert result.returncode == 0, result.stderr


def test_rejects_a_malformed_boolean():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_refuses_to_start_without_a_field_encryption_key_in_production():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "FIELD_ENCRYPTION_KEY": ""})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr


def test_refuses_a_malformed_field_encryption_key():
    result = _run(
        {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "FIELD_ENCRYPTION_KEY": "not-a-key"}
    )
    assert result.returncode != 0
    assert "malformed" in result.stderr


def test_production_refuses_a_per_process_cache():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "CACHE_BACKEND": "locmem"})
    assert result.returncode != 0
    assert "per-process cache" in result.stderr


def test_the_default_cache_is_shared_by_every_process():
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def test_redis_url_moves_cache_sessions_and_queue_to_redis():
    """Several app servers share what one server counted or stored: rate limits and lock-outs
    (the cache), logins (sessions, read through the cache) and the queue with its task locks."""
    code = (
        f"{SETUP}; from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.HUEY['huey_class'])"
    )
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "REDIS_URL": "redis://10.0.0.9:6379/0"}
    env["FIELD_ENCRYPTION_KEY"] = os.environ.get("FIELD_ENCRYPTION_KEY", "")
    result = _run(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "huey.RedisExpireHuey",
    ]


def test_refuses_a_malformed_trusted_proxy():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "TRUSTED_PROXIES": "proxy"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def test_postgresql_connections_turn_jit_off_and_keep_the_urls_own_options():
    """jit=off comes first: the URL's own options follow it, so `-c jit=on` there wins."""
    code = (
        f"{SETUP}; from django.conf import settings as s; "
        "print(s.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a"}
    env["FIELD_ENCRYPTION_KEY"] = os.environ.get("FIELD_ENCRYPTION_KEY", "")
    env["DATABASE_URL"] = "postgres://hqzt@db.internal/hqzt?options=-c%20statement_timeout%3D5000"
    result = _run(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c jit=off -c statement_timeout=5000"
