"""The app server `bench/scale.py measure` times pages against: gunicorn with production settings
(DEBUG off, the compressed manifest static files, persistent database connections) on a loopback
port, over the database `build` filled, as a deployment runs it (docs/deploy.md).

The benchmark logs its users in through the database the server reads: a session made by
`Client.force_login` in the measuring process is a row of django_session signed with the same
SECRET_KEY, so the server accepts its cookie as a login.
"""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving hqzt.wsgi; a context manager that stops every worker on exit."""

    def __init__(self, workers: int, env: dict | None = None):
        self.workers = workers
        self.port = _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="hqzt-bench-http-"))
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,  # DATABASE_URL (or DATA_DIR), SECRET_KEY and the keys the build used
            "DJANGO_SETTINGS_MODULE": "hqzt.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "HQZT_BASE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_ROOT": str(self.workdir / "static"),
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }

    def __enter__(self) -> "Server":
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        log = (self.workdir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hqzt.wsgi", "--workers", str(self.workers),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--no-control-socket",
             *self.config()],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log_tail()}")
            try:
                if self.get("/healthz", "")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn not ready after 60 s:\n{self.log_tail()}")

    def config(self) -> list[str]:
        """gunicorn reads the project's gunicorn.conf.py from ROOT, as a deployment does; with
        BENCH_REQUEST_LOG set, bench/request_log.py instead, which runs its hooks and logs
        each request."""
        if self.env.get("BENCH_REQUEST_LOG"):
            return ["-c", str(ROOT / "bench" / "request_log.py")]
        return []

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=30)

    def log_tail(self) -> str:
        return (self.workdir / "gunicorn.log").read_text(errors="replace")[-3000:]

    def get(self, path: str, session: str, params: dict | None = None) -> tuple[int, bytes]:
        """One GET on a fresh connection (as a browser behind a balancer may make it)."""
        query = f"?{urlencode(params)}" if params else ""
        cookies = {"sessionid": session} if session else {}
        status, _, body = self.request("GET", path + query, cookies)
        return status, body

    def request(
        self, method: str, path: str, cookies: dict, form: dict | None = None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """One request on a fresh connection, with `cookies` and an urlencoded `form`; the
        status, the response headers and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items() if v)}
            body = None
            if form is not None:
                body = urlencode(form, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()
