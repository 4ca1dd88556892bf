"""Running one call from several threads at the same moment, for the tests that show
simultaneous requests never duplicate or corrupt data."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(call: Callable[[], object], workers: int = 2) -> list[object]:
    """Start `call` in `workers` threads released together; what each returned or raised, in
    the order they finished. Each thread closes its own database connection."""
    barrier = threading.Barrier(workers)
    outcomes: list[object] = []

    def worker() -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except BaseException as exc:  # the caller compares the outcomes
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
