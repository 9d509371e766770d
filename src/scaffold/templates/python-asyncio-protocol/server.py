#!/usr/bin/env python3
"""Echo server: every byte a client sends comes back to it, unchanged.

Built on asyncio's low-level API: an EchoProtocol per connection reacts to callbacks from its
transport. Flow control ties the two directions together: when the transport's write buffer fills
(the client is not reading its echoes) it calls pause_writing, and the protocol stops reading until
resume_writing. On SIGINT or SIGTERM the server stops accepting, closes every connection and exits 0.
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
# Connections the kernel may queue before they are accepted: many clients can arrive at once.
BACKLOG = 1024
SHUTDOWN_SIGNALS = {signal.SIGINT, signal.SIGTERM}

log = logging.getLogger("server")
# A unique number per connection makes the log of many simultaneous connections readable.
connection_ids = itertools.count(1)


def format_address(address):
    return f"{address[0]}:{address[1]}"


class EchoProtocol(asyncio.Protocol):
    def __init__(self, open_connections):
        self.open_connections = open_connections
        self.ident = next(connection_ids)
        self.echoed = 0
        self.closed_by = "the client"
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.open_connections.add(self)
        log.info("connection %d: opened from %s", self.ident, format_address(transport.get_extra_info("peername")))

    def data_received(self, data):
        # write() never blocks: it buffers what the socket cannot take yet, and flow control below
        # keeps that buffer bounded.
        self.transport.write(data)
        self.echoed += len(data)

    def pause_writing(self):
        # The write buffer went over its high-water mark (64 KiB): read nothing more until it drains.
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()

    def eof_received(self):
        # Returning False lets the transport close itself once the remaining echoes are written.
        return False

    def connection_lost(self, error):
        self.open_connections.discard(self)
        if error is None:
            log.info("connection %d: closed by %s after %d bytes", self.ident, self.closed_by, self.echoed)
        else:
            log.info("connection %d: lost (%s) after %d bytes", self.ident, error, self.echoed)
        self.closed.set_result(None)

    def close_for_shutdown(self):
        self.closed_by = "shutdown"
        # abort(), not close(): close() would wait for a client that never reads to take its echoes.
        self.transport.abort()


async def serve(host, port, shutdown_requested):
    loop = asyncio.get_running_loop()
    open_connections = set()
    server = await loop.create_server(lambda: EchoProtocol(open_connections), host, port, backlog=BACKLOG)
    log.info("listening on %s", format_address(server.sockets[0].getsockname()))
    async with server:
        signal_name = await shutdown_requested
        log.info("%s: shutting down, closing %d connections", signal_name, len(open_connections))
        server.close()
        closing = list(open_connections)
        for protocol in closing:
            protocol.close_for_shutdown()
        await asyncio.gather(*(protocol.closed for protocol in closing))
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
    await serve(host, port, shutdown_requested)


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
