#!/usr/bin/env python3
"""Echo client: sends each line of standard input to the server and prints what comes back.

A sender and a receiver run side by side in an asyncio.TaskGroup. At the end of input the sender
half-closes the connection, and the client exits once every byte has come back. With --repeat N it
sends a message N times instead, --interval seconds apart.
"""

import argparse
import asyncio
import errno
import sys
import threading

DEFAULT_PORT = 12345
DEFAULT_MESSAGE = "async can sometimes be confusing, but I believe in you!"
# At most this much of a line is read at once, so input without newlines cannot fill memory.
CHUNK = 65536
RETRY_DELAY = 0.2


class EchoIncomplete(Exception):
    pass


class Progress:
    """Counts bytes both ways, so the client knows when every echo has arrived."""

    def __init__(self):
        self.sent = 0
        self.received = 0
        self.input_finished = False
        self.all_echoed = asyncio.Event()

    def check(self):
        if self.input_finished and self.received >= self.sent:
            self.all_echoed.set()


async def read_standard_input():
    """Yields standard input line by line.

    A daemon thread reads it, because a terminal or a file cannot be read without blocking, and a
    thread blocked in a read must not keep the program alive after it is done.
    """
    loop = asyncio.get_running_loop()
    lines = asyncio.Queue(maxsize=16)  # bounded: the reader waits while the network is slower

    def read():
        while True:
            line = sys.stdin.buffer.readline(CHUNK)
            asyncio.run_coroutine_threadsafe(lines.put(line), loop).result()
            if not line:
                return

    threading.Thread(target=read, name="stdin", daemon=True).start()
    while line := await lines.get():
        yield line


async def repeat(message, count, interval):
    for index in range(count):
        if index:
            await asyncio.sleep(interval)
        yield message


async def sender(writer, chunks, progress):
    async for chunk in chunks:
        writer.write(chunk)
        await writer.drain()
        progress.sent += len(chunk)
    # Half-close: the server sees the end of input, echoes what is left, then closes its side.
    writer.write_eof()
    progress.input_finished = True
    progress.check()


async def receiver(reader, progress):
    output = sys.stdout.buffer
    while data := await reader.read(CHUNK):
        output.write(data)
        output.flush()
        progress.received += len(data)
        progress.check()
    if not progress.all_echoed.is_set():
        raise EchoIncomplete(f"the server closed the connection after {progress.received} of {progress.sent} bytes")


async def connect(host, port, wait):
    """Connects, retrying a refused connection for up to `wait` seconds (a server still starting)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        try:
            return await asyncio.open_connection(host, port)
        except ConnectionRefusedError:
            if loop.time() >= deadline:
                raise
        await asyncio.sleep(RETRY_DELAY)


async def run(arguments):
    reader, writer = await connect(arguments.host, arguments.port, arguments.wait)
    if arguments.repeat:
        chunks = repeat(f"{arguments.message}\n".encode(), arguments.repeat, arguments.interval)
    else:
        chunks = read_standard_input()
    progress = Progress()
    try:
        async with asyncio.TaskGroup() as group:
            sending = group.create_task(sender(writer, chunks, progress))
            receiving = group.create_task(receiver(reader, progress))
            await progress.all_echoed.wait()
            sending.cancel()
            receiving.cancel()
    finally:
        writer.close()


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
        asyncio.run(run(arguments))
    except* KeyboardInterrupt:
        interrupted = True
    except* (OSError, EchoIncomplete) as group:  # the TaskGroup reports its tasks' errors as a group
        failure = first_exception(group)
    if interrupted:
        return 130
    if failure is None:
        return 0
    where = f"{arguments.host}:{arguments.port}"
    if isinstance(failure, OSError) and failure.errno == errno.ECONNREFUSED:
        print(f"client: cannot connect to {where}: connection refused", file=sys.stderr)
    elif isinstance(failure, ConnectionError):
        print(f"client: connection to {where} lost: {failure.strerror or failure}", file=sys.stderr)
    else:
        print(f"client: {where}: {failure}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
