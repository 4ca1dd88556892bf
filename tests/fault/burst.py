"""A bounded burst of portal submissions from a few client threads while a chaos thread breaks
things, recording every attempt and what came back.

Clients behave like the mini-program: each submission carries its own idempotency key; most
clients resend the same body with the same key until they get an answer, some give up after one
failed attempt (the user closed the page). The submission's key is also written into its content,
so the stored row can be found again without trusting the key table.
"""

import http.client
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from hqzt.demo.names import credit_code
from tests.fault.processes import SUBMIT_PATH, AppServer, http_request

BUDGET_SECONDS = 180  # the whole burst: an app that never recovers fails the test, not CI


@dataclass(frozen=True)
class Planned:
    key: str
    retry: bool
    enterprise_name: str
    credit_code: str = ""

    def body(self, station: int, need_type: str) -> dict:
        return {
            "station": station,
            "enterprise_name": self.enterprise_name,
            "credit_code": self.credit_code,
            "contact_name": "演练联系人",
            "contact_phone": "13800138000",
            "need_type": need_type,
            "content": f"故障演练提交 {self.key}",
            "idempotency_key": self.key,
        }


@dataclass(frozen=True)
class Attempt:
    key: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all (refused, reset by a killed worker, time-out)
    tracking_number: str = ""
    detail: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Burst:
    def __init__(
        self,
        server: AppServer,
        *,
        station: int,
        need_type: str,
        rng: random.Random,
        size: int,
        clients: int,
    ):
        self.server = server
        self.station, self.need_type = station, need_type
        self.rng = rng
        # Half the submissions come from three enterprises with credit codes, from every client
        # at once. The others come from one enterprise per client without a code: those are
        # matched by name only, which nothing in the database makes unique, so they do not race.
        shared = [(f"故障演练共享{n + 1}有限公司", credit_code(rng, "140502")) for n in range(3)]

        def plan(client: int) -> Planned:
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            retry = rng.random() < 0.75
            if rng.random() < 0.5:
                return Planned(key, retry, *rng.choice(shared))
            return Planned(key, retry, f"故障演练{client + 1}号有限公司")

        self.shares = [[plan(client) for _ in range(size // clients)] for client in range(clients)]
        self.probes: list[Planned] = []
        self.attempts: list[Attempt] = []
        self.errors: list[BaseException] = []
        self.finished = threading.Event()
        self._cond = threading.Condition()
        self._paused = False
        self._in_flight = 0
        self._acknowledged = 0

    @property
    def planned(self) -> list[Planned]:
        return [item for share in self.shares for item in share] + self.probes

    def send(self, item: Planned) -> Attempt:
        started = time.monotonic()
        try:
            status, raw = http_request(
                self.server.port, "POST", SUBMIT_PATH, item.body(self.station, self.need_type)
            )
        except (OSError, http.client.HTTPException) as exc:
            return Attempt(item.key, started, time.monotonic(), None, detail=repr(exc))
        ended = time.monotonic()
        if 200 <= status < 300:
            number = json.loads(raw)["tracking_number"]
            return Attempt(item.key, started, ended, status, tracking_number=number)
        return Attempt(item.key, started, ended, status, detail=raw[:300].decode(errors="replace"))

    def probe(self) -> Attempt:
        """One new submission, sent once (the chaos thread's check that the app serves again)."""
        item = Planned(str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), False, "探测企业")
        self.probes.append(item)
        attempt = self.send(item)
        self.attempts.append(attempt)
        return attempt

    def wait_acknowledged(self, more: int) -> bool:
        """Wait for `more` further acknowledgements: the chaos strikes by progress, not by the
        clock, so every planned fault lands inside the burst however fast the machine is.
        False when the burst ended first."""
        with self._cond:
            target = self._acknowledged + more
            while self._acknowledged < target:
                if self.finished.is_set():
                    return False
                self._cond.wait(0.05)
        return True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Clients start no new request, and those in flight have finished."""
        with self._cond:
            self._paused = True
            self._cond.wait_for(lambda: self._in_flight == 0, timeout=60)
        try:
            yield
        finally:
            with self._cond:
                self._paused = False
                self._cond.notify_all()

    def _client(self, share: list[Planned], deadline: float) -> None:
        for item in share:
            while time.monotonic() < deadline:
                with self._cond:
                    self._cond.wait_for(lambda: not self._paused)
                    self._in_flight += 1
                try:
                    attempt = self.send(item)
                finally:
                    with self._cond:
                        self._in_flight -= 1
                        self._cond.notify_all()
                self.attempts.append(attempt)
                with self._cond:
                    self._acknowledged += attempt.acknowledged
                    self._cond.notify_all()
                # A 4xx is not a fault to wait out: the checks report it.
                if attempt.acknowledged or not item.retry or (attempt.status or 500) < 500:
                    break
                time.sleep(0.1 + 0.2 * random.random())

    def _guarded(self, target: Callable, *args) -> None:
        try:
            target(*args)
        except BaseException as exc:
            self.errors.append(exc)

    def run(self, chaos: Callable[["Burst"], None]) -> None:
        """Clients submit everything while `chaos(self)` runs until they are done."""
        deadline = time.monotonic() + BUDGET_SECONDS
        clients = [
            threading.Thread(target=self._guarded, args=(self._client, share, deadline))
            for share in self.shares
        ]
        breaker = threading.Thread(target=self._guarded, args=(chaos, self))
        breaker.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        self.finished.set()
        breaker.join()

    def replay(self) -> list[tuple[Attempt, Attempt]]:
        """Resend every acknowledged submission once the server is calm: (first answer, replay)."""
        first = {}
        for attempt in self.attempts:
            if attempt.acknowledged:
                first.setdefault(attempt.key, attempt)
        by_key = {item.key: item for item in self.planned}
        return [(answer, self.send(by_key[key])) for key, answer in first.items()]
