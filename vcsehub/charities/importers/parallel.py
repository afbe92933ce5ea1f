"""Read and build rows in a second process while this one writes to the database.

Reading a register table (unzip, decode, split, convert each field) is Python work; writing
rows is database work. `forked()` runs a generator in a child process made with fork(),
so the child starts with everything the parent has in memory (the charity ids, the facts
read so far) and nothing has to be copied to it. What the generator yields is sent back
through a pipe and yielded here, in order. The child never touches the database: it ends
with os._exit, without running any clean-up that could close the parent's connection.

Where fork() is not available, or the work is small, the generator simply runs here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator

_END = b"end"


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def spare_core() -> bool:
    """Is at least one processor core idle (by the last minute's load average)?"""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not known on this system
        return True
    return (os.cpu_count() or 1) - load >= 1


def forked(produce: Callable[[], Iterator[object]], *, fork: bool = True) -> Iterator[object]:
    """Yield what `produce()` yields, computed in a child process when `fork` is true.

    An exception raised in the child is raised here (a DataError keeps its message and
    fix). If this side stops early, the child is stopped.
    """
    if not (fork and fork_available()):
        yield from produce()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(produce, sender), daemon=True)
    process.start()
    sender.close()
    try:
        while True:
            try:
                message = receiver.recv_bytes()
            except EOFError:
                raise RuntimeError(
                    f"The reading process stopped unexpectedly (exit code {process.exitcode})"
                ) from None
            if message == _END:
                break
            kind, payload = pickle.loads(message)  # noqa: S301 - from our own child process
            if kind == "error":
                raise payload
            yield payload
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()


def _child(produce: Callable[[], Iterator[object]], sender) -> None:
    code = 0
    try:
        for item in produce():
            sender.send_bytes(pickle.dumps(("item", item), protocol=pickle.HIGHEST_PROTOCOL))
        sender.send_bytes(_END)
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        code = 1
        try:
            message = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(message)  # noqa: S301 - made just above
        except Exception:  # noqa: BLE001 - an error that cannot be pickled goes back as text
            message = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        with contextlib.suppress(OSError):
            sender.send_bytes(message)
    finally:
        sender.close()
        os._exit(code)
