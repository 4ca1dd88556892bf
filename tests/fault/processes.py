"""The real processes of the fault harness: the app server (gunicorn, as in production) on
loopback with a database of its own, and a private PostgreSQL instance.

The PostgreSQL instance is private because the harness stops it mid-burst: the shared cluster on
5432 serves the rest of the suite running in parallel and must never go down.
"""

import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]
SUBMIT_PATH = "/api/v1/portal/submissions/"
NEED_TYPES_PATH = "/api/v1/portal/need-types/"
WORKERS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(
    port: int, method: str, path: str, body: dict | None = None, timeout: float = 20
) -> tuple[int, bytes]:
    """One request on a fresh connection, as a phone on a flaky network would make it. Raises
    OSError or HTTPException when no answer comes (refused, reset by a killed worker, time-out)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class AppServer:
    """gunicorn serving hqzt.wsgi with production settings; killable as a whole with SIGKILL."""

    def __init__(self, workdir: Path, database_url: str):
        self.port = free_port()
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,  # whatever else production settings need, as the suite has it
            "DJANGO_SETTINGS_MODULE": "hqzt.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HQZT_BASE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATA_DIR": str(workdir),
            "DATABASE_URL": database_url,
            # Persistent connections, as README recommends for PostgreSQL: a database restart
            # must not leave workers holding dead connections.
            "DB_CONN_MAX_AGE": "60",
            "HUEY_IMMEDIATE": "0",
            # The burst comes from one address, far above any per-client limit.
            "API_PORTAL_RATE": "1000000/s",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("REDIS_URL", None)
        (workdir / "staticfiles").mkdir(exist_ok=True)  # WhiteNoise warns about a missing one

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self) -> int:
        """Migrate the server's database and create the station the burst submits to."""
        self.manage("migrate", "--noinput", "-v", "0")
        out = self.manage(
            "shell",
            "-c",
            "from hqzt.stations.tests.factories import StationFactory; "
            "print(StationFactory(name='故障演练服务站').pk)",
        )
        return int(out.split()[-1])

    def start(self, timeout: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "hqzt.wsgi",
                    "--preload",  # import once, fork the workers: a restart takes seconds less
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "30",
                    "--no-control-socket",  # one per user by default: parallel servers collide
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group: one killpg takes all workers
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                if http_request(self.port, "GET", NEED_TYPES_PATH, timeout=5)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn not ready after {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown code runs anywhere."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


class PrivatePostgres:
    """A throw-away cluster on its own port, run as the `postgres` OS user when we are root
    (initdb and postgres refuse to run as root)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="hqzt-fault-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @staticmethod
    def find_bindir() -> Path | None:
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
        )
        if not found:
            return None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return None
        return found[-1].parent

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode:
            log = (
                self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
            )
            raise RuntimeError(f"{program} {args[-1]} failed:\n{result.stderr}\n{log}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-locale", "--no-sync", "--no-instructions")  # fmt: skip
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        # pg_ctl keeps the start options (postmaster.opts); the log file must be given again, or
        # the server would write to our pipe and hold it open.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-m", "fast",
                  "-w", "-t", "60", "restart")  # fmt: skip

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
