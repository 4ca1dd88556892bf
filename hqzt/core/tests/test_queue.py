"""Redis in production (issue 18): a scheduled task's lock expires, so a consumer killed while
holding it does not stop the task for good; a Redis that stops answering makes /readyz answer 503
instead of hanging. Run as real processes, since the queue and cache are built from settings at
start-up."""

import socket
import subprocess

import pytest

from hqzt.core.tests.test_settings import _run

PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "hqzt.example.gov.cn",
    "DATABASE_URL": "sqlite:///:memory:",
    "HUEY_IMMEDIATE": "0",
}


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
def test_a_scheduled_task_s_lock_expires_on_redis():
    code = """
import time, django
django.setup()
from huey.exceptions import TaskLockedException
from hqzt.core.queue import task_lock
lock = task_lock("expiry-test")
lock.clear()
lock.acquire()            # a consumer takes it … and is killed: nobody releases it
try:
    lock.acquire()
    raise SystemExit("a held lock was taken twice")
except TaskLockedException:
    pass
time.sleep(2.5)
lock.acquire()            # expired: the next run takes it
lock.clear()
print("ok")
"""
    result = _run(
        {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/15", "TASK_LOCK_SECONDS": "2"}, code
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_embedded_queue_s_consumer_clears_locks_left_by_its_predecessor():
    code = "import django; django.setup(); from django.conf import settings; print(settings.HUEY)"
    result = _run(PRODUCTION, code)
    assert result.returncode == 0, result.stderr
    assert "'flush_locks': True" in result.stdout


def test_readyz_answers_503_when_redis_stops_answering():
    # A "Redis" that accepts connections and never answers: without socket time-outs the probe
    # hung until the balancer gave up on it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    code = """
import django
django.setup()
from django.test import RequestFactory
from hqzt.core.health import readyz
response = readyz(RequestFactory().get("/readyz"))
print(response.status_code, response.content.decode())
"""
    try:
        result = _run(
            {
                **PRODUCTION,
                "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                "REDIS_TIMEOUT": "1",
                "REDIS_CONNECT_TIMEOUT": "1",
            },
            code,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("/readyz hung on a Redis that does not answer")
    finally:
        silent.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("503"), result.stdout
    assert "缓存不可用" in result.stdout and "后台任务队列不可用" in result.stdout
