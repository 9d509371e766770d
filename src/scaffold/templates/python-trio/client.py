#!/usr/bin/env python3
"""Echo client: sends each line of standard input to the server and prints what comes back.

A sender and a receiver run side by side in a nursery, like the trio tutorial's client. At the end of
input the sender half-closes the connection, and the client exits once every byte has come back.
With --repeat N it sends a message N times instead, --interval seconds apart.
"""

import argparse
import errno
import inspect
import sys

import trio

DEFAULT_PORT = 12345
DEFAULT_MESSAGE = "async can sometimes be confusing, but I believe in you!"
# At most this much of a line is read at once, so input without newlines cannot fill memory.
CHUNK = 65536
RETRY_DELAY = 0.2

# trio renamed the argument that lets a blocked thread be abandoned on cancellation (0.23).
if "abandon_on_cancel" in inspect.signature(trio.to_thread.run_sync).parameters:
    ABANDON_ON_CANCEL = {"abandon_on_cancel": True}
else:
    ABANDON_ON_CANCEL = {"cancellable": True}


class EchoIncomplete(Exception):
    pass


class Progress:
    """Counts bytes both ways, so the client knows when every echo has arrived."""

    def __init__(self):
        self.sent = 0
        self.received = 0
        self.input_finished = False
        self.all_echoed = trio.Event()

    def check(self):
        if self.input_finished and self.received >= self.sent:
            self.all_echoed.set()


async def read_standard_input():
    """Yields standard input line by line, read in a thread: a terminal cannot be read without blocking."""
    while True:
        line = await trio.to_thread.run_sync(sys.stdin.buffer.readline, CHUNK, **ABANDON_ON_CANCEL)
        if not line:
            return
        yield line


async def repeat(message, count, interval):
    for index in range(count):
        if index:
            await trio.sleep(interval)
        yield message


async def sender(stream, chunks, progress):
    async for chunk in chunks:
        await stream.send_all(chunk)
        progress.sent += len(chunk)
    # Marked before the half-close: the server's reply to it may arrive before send_eof returns.
    progress.input_finished = True
    progress.check()
    # Half-close: the server sees the end of input, echoes what is left, then closes its side.
    await stream.send_eof()


async def receiver(stream, progress):
    output = sys.stdout.buffer
    async for data in stream:
        output.write(data)
        output.flush()
        progress.received += len(data)
        progress.check()
    if not progress.all_echoed.is_set():
        raise EchoIncomplete(f"the server closed the connection after {progress.received} of {progress.sent} bytes")


async def connect(host, port, wait):
    """Connects, retrying a refused connection for up to `wait` seconds (a server still starting)."""
    deadline = trio.current_time() + wait
    while True:
        try:
            return await trio.open_tcp_stream(host, port)
        except OSError as error:
            if not is_refused(error) or trio.current_time() >= deadline:
                raise
        await trio.sleep(RETRY_DELAY)


def is_refused(error):
    # open_tcp_stream tries every address of the host and reports them together.
    causes = error.__cause__.exceptions if isinstance(error.__cause__, BaseExceptionGroup) else [error]
    return all(getattr(cause, "errno", None) == errno.ECONNREFUSED for cause in causes)


async def run(arguments):
    stream = await connect(arguments.host, arguments.port, arguments.wait)
    if arguments.repeat:
        chunks = repeat(f"{arguments.message}\n".encode(), arguments.repeat, arguments.interval)
    else:
        chunks = read_standard_input()
    progress = Progress()
    async with stream, trio.open_nursery() as nursery:
        nursery.start_soon(sender, stream, chunks, progress)
        nursery.start_soon(receiver, stream, progress)
        await progress.all_echoed.wait()
        nursery.cancel_scope.cancel()


def parse_arguments():
    parser = argparse.ArgumentParser(description="Echo client: prints what the server sends back.")
    parser.add_argument("--host", default="127.0.0.1", help="server address (default: %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="server port (default: %(default)s)")
    parser.add_argument("--repeat", type=positive_int, metavar="N", help="send --message N times instead of reading input")
    parser.add_argument("--interval", type=float, default=1.0, metavar="S", help="seconds between repeats (default: 1)")
    parser.add_argument("--message", default=DEFAULT_MESSAGE, help="what --repeat sends, a newline added")
    parser.add_argument("--wait", type=float, default=0.0, metavar="S", help="retry a refused connection for S seconds")
    return parser.parse_args()


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def first_exception(group):
    while isinstance(group, BaseExceptionGroup):
        group = group.exceptions[0]
    return group


def main():
    arguments = parse_arguments()
    failure = interrupted = None
    try:
        trio.run(run, arguments, strict_exception_groups=True)
    except* KeyboardInterrupt:
        interrupted = True
    except* (OSError, trio.BrokenResourceError, EchoIncomplete) as group:
        failure = first_exception(group)
    if interrupted:
        return 130
    if failure is None:
        return 0
    where = f"{arguments.host}:{arguments.port}"
    if isinstance(failure, OSError) and is_refused(failure):
        print(f"client: cannot connect to {where}: connection refused", file=sys.stderr)
    elif isinstance(failure, trio.BrokenResourceError):
        print(f"client: connection to {where} lost: {failure.__cause__ or failure}", file=sys.stderr)
    else:
        print(f"client: {where}: {failure}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
