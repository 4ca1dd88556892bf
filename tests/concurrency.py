"""Running calls from several threads at the same moment, for the tests that show simultaneous
requests never duplicate or corrupt data."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Each call in a thread of its own, all released together; what each returned or raised, in
    the calls' order. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = calls[index]()
        except BaseException as exc:  # the caller compares the outcomes
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def failures(outcomes: list[object]) -> list[BaseException]:
    """The outcomes that were exceptions."""
    return [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
