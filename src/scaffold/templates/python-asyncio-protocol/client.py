#!/usr/bin/env python3
"""Echo client: sends each line of standard input to the server and prints what comes back.

Built on asyncio's low-level API: EchoClientProtocol receives the echoes through data_received and
honours flow control (pause_writing / resume_writing) when it sends. At the end of input it
half-closes the connection, and the client exits once every byte has come back. With --repeat N it
sends a message N times instead, --interval seconds apart.
"""

import argparse
import asyncio
import sys
import threading

DEFAULT_PORT = 12345
DEFAULT_MESSAGE = "async can sometimes be confusing, but I believe in you!"
# At most this much of a line is read at once, so input without newlines cannot fill memory.
CHUNK = 65536
RETRY_DELAY = 0.2


class EchoIncomplete(Exception):
    pass


class EchoClientProtocol(asyncio.Protocol):
    def __init__(self):
        loop = asyncio.get_running_loop()
        self.sent = 0
        self.received = 0
        self.input_finished = False
        self.all_echoed = loop.create_future()
        self.may_write = asyncio.Event()
        self.may_write.set()

    def connection_made(self, transport):
        self.transport = transport

    async def send(self, data):
        # Waits while the transport's buffer is over its high-water mark, so a slow server slows us down.
        await self.may_write.wait()
        self.transport.write(data)
        self.sent += len(data)

    def finish_input(self):
        # Half-close: the server sees the end of input, echoes what is left, then closes its side.
        self.transport.write_eof()
        self.input_finished = True
        self._check()

    def pause_writing(self):
        self.may_write.clear()

    def resume_writing(self):
        self.may_write.set()

    def data_received(self, data):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        self.received += len(data)
        self._check()

    def connection_lost(self, error):
        self.may_write.set()  # wake a waiting sender: its next write fails instead of hanging
        if not self.all_echoed.done():
            self.all_echoed.set_exception(
                error or EchoIncomplete(f"the server closed the connection after {self.received} of {self.sent} bytes")
            )

    def _check(self):
        if self.input_finished and self.received >= self.sent and not self.all_echoed.done():
            self.all_echoed.set_result(None)


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


async def connect(host, port, wait):
    """Connects, retrying a refused connection for up to `wait` seconds (a server still starting)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        try:
            return await loop.create_connection(EchoClientProtocol, host, port)
        except ConnectionRefusedError:
            if loop.time() >= deadline:
                raise
        await asyncio.sleep(RETRY_DELAY)


async def send_all(protocol, chunks):
    async for chunk in chunks:
        if protocol.all_echoed.done():  # the connection is gone
            break
        await protocol.send(chunk)
    else:
        protocol.finish_input()


async def run(arguments):
    transport, protocol = await connect(arguments.host, arguments.port, arguments.wait)
    if arguments.repeat:
        chunks = repeat(f"{arguments.message}\n".encode(), arguments.repeat, arguments.interval)
    else:
        chunks = read_standard_input()
    sending = asyncio.create_task(send_all(protocol, chunks))
    try:
        await protocol.all_echoed
    finally:
        sending.cancel()
        transport.close()


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


def main():
    arguments = parse_arguments()
    where = f"{arguments.host}:{arguments.port}"
    try:
        asyncio.run(run(arguments))
    except KeyboardInterrupt:
        return 130
    except ConnectionRefusedError:
        print(f"client: cannot connect to {where}: connection refused", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"client: connection to {where} lost: {error.strerror or error}", file=sys.stderr)
        return 1
    except EchoIncomplete as error:
        print(f"client: {where}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
