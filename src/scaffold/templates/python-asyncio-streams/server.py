#!/usr/bin/env python3
"""Echo server: every byte a client sends comes back to it, unchanged.

asyncio.start_server calls handle_connection in a task of its own for each connection. On SIGINT or
SIGTERM the server stops accepting, cancels those tasks (closing their connections) and exits 0.
"""

import argparse
import asyncio
import errno
import itertools
import logging
import signal
import sys
import threading

DEFAULT_PORT = 12345
# How much to read at once: enough for throughput, small enough that thousands of connections stay cheap.
CHUNK = 65536
# Connections the kernel may queue before they are accepted: many clients can arrive at once.
BACKLOG = 1024
SHUTDOWN_SIGNALS = {signal.SIGINT, signal.SIGTERM}

log = logging.getLogger("server")
# A unique number per connection makes the log of many simultaneous connections readable.
connection_ids = itertools.count(1)


def format_address(address):
    return f"{address[0]}:{address[1]}"


class EchoServer:
    def __init__(self):
        self.connections = set()

    async def handle_connection(self, reader, writer):
        ident = next(connection_ids)
        log.info("connection %d: opened from %s", ident, format_address(writer.get_extra_info("peername")))
        task = asyncio.current_task()
        self.connections.add(task)
        echoed = 0
        try:
            while data := await reader.read(CHUNK):
                writer.write(data)
                # drain() waits while the client is not reading its echoes; meanwhile this connection
                # reads nothing more, so the server holds at most a buffer's worth per client.
                await writer.drain()
                echoed += len(data)
            log.info("connection %d: closed by the client after %d bytes", ident, echoed)
        except ConnectionError as error:
            log.info("connection %d: lost (%s) after %d bytes", ident, error, echoed)
        except asyncio.CancelledError:
            log.info("connection %d: closed by shutdown after %d bytes", ident, echoed)
            raise
        finally:
            self.connections.discard(task)
            writer.close()

    async def serve(self, host, port, shutdown_requested):
        server = await asyncio.start_server(self.handle_connection, host, port, backlog=BACKLOG)
        log.info("listening on %s", format_address(server.sockets[0].getsockname()))
        async with server:
            signal_name = await shutdown_requested
            log.info("%s: shutting down, closing %d connections", signal_name, len(self.connections))
            server.close()
            for task in self.connections:
                task.cancel()
            # Python 3.11's wait_closed() does not wait for connections: wait for their tasks instead.
            await asyncio.gather(*self.connections, return_exceptions=True)
        log.info("stopped")


def wait_for_shutdown_signal(on_first_signal):
    """Calls on_first_signal(name) from a thread at the first SIGINT/SIGTERM; ignores later ones.

    The signals stay blocked in every thread (see main), so a second Ctrl+C, or the copy of a signal
    that a terminal or supervisor sends to the whole process group, can never interrupt the shutdown
    or change the exit status, even while Python tears itself down. (loop.add_signal_handler puts
    the default handlers back when the loop closes, and Python does so at exit.)
    """

    def wait():
        signum = signal.sigwait(SHUTDOWN_SIGNALS)
        on_first_signal(signal.Signals(signum).name)
        while True:
            signum = signal.sigwait(SHUTDOWN_SIGNALS)
            log.info("%s ignored: already shutting down", signal.Signals(signum).name)

    threading.Thread(target=wait, name="shutdown-signals", daemon=True).start()


async def run(host, port):
    loop = asyncio.get_running_loop()
    shutdown_requested = loop.create_future()

    def request_shutdown(signal_name):
        if not shutdown_requested.done():
            shutdown_requested.set_result(signal_name)

    wait_for_shutdown_signal(lambda name: loop.call_soon_threadsafe(request_shutdown, name))
    await EchoServer().serve(host, port, shutdown_requested)


def parse_arguments():
    parser = argparse.ArgumentParser(description="Echo server: sends every byte back to its sender.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on, 0 for any free one (default: %(default)s)"
    )
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s server: %(message)s", stream=sys.stderr)
    # Blocked before any thread starts, so that every thread inherits it and only the waiting thread
    # ever sees these signals (signal.sigwait).
    signal.pthread_sigmask(signal.SIG_BLOCK, SHUTDOWN_SIGNALS)
    try:
        asyncio.run(run(arguments.host, arguments.port))
    except OSError as error:
        reason = "port already in use" if error.errno == errno.EADDRINUSE else error.strerror or str(error)
        print(f"server: cannot listen on {arguments.host}:{arguments.port}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
