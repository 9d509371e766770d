#!/usr/bin/env python3
"""Echo server: every byte a client sends comes back to it, unchanged.

trio.serve_tcp runs one task per connection in a nursery; cancelling that nursery's scope on
SIGINT/SIGTERM stops accepting and closes every connection, and the program exits 0.
"""

import argparse
import errno
import functools
import itertools
import logging
import signal
import sys
import threading

import trio

DEFAULT_PORT = 12345
SHUTDOWN_SIGNALS = {signal.SIGINT, signal.SIGTERM}

log = logging.getLogger("server")
# A unique number per connection makes the log of many simultaneous connections readable.
connection_ids = itertools.count(1)


def format_address(address):
    return f"{address[0]}:{address[1]}"


async def echo(stream, open_connections):
    ident = next(connection_ids)
    log.info("connection %d: opened from %s", ident, format_address(stream.socket.getpeername()))
    open_connections.add(ident)
    echoed = 0
    try:
        # Each chunk is sent back before the next is read: while a client does not read its echoes,
        # send_all waits and this connection stops reading, so the server buffers at most one chunk.
        async for data in stream:
            await stream.send_all(data)
            echoed += len(data)
        log.info("connection %d: closed by the client after %d bytes", ident, echoed)
    except trio.BrokenResourceError as error:
        log.info("connection %d: lost (%s) after %d bytes", ident, error.__cause__ or error, echoed)
    except trio.Cancelled:
        log.info("connection %d: closed by shutdown after %d bytes", ident, echoed)
        raise
    except Exception:
        # A bug in one connection must not end the others: serve_tcp would let it cancel them all.
        log.exception("connection %d: crashed", ident)
    finally:
        open_connections.discard(ident)
    # serve_tcp closes the stream when this returns.


def wait_for_shutdown_signal(on_first_signal):
    """Calls on_first_signal(name) from a thread at the first SIGINT/SIGTERM; ignores later ones.

    The signals stay blocked in every thread (see main), so a second Ctrl+C, or the copy of a signal
    that a terminal or supervisor sends to the whole process group, can never interrupt the shutdown
    or change the exit status, even while Python tears itself down.
    """

    def wait():
        signum = signal.sigwait(SHUTDOWN_SIGNALS)
        on_first_signal(signal.Signals(signum).name)
        while True:
            signum = signal.sigwait(SHUTDOWN_SIGNALS)
            log.info("%s ignored: already shutting down", signal.Signals(signum).name)

    threading.Thread(target=wait, name="shutdown-signals", daemon=True).start()


async def serve(host, port):
    open_connections = set()
    async with trio.open_nursery() as nursery:
        token = trio.lowlevel.current_trio_token()

        def shut_down(signal_name):
            log.info("%s: shutting down, closing %d connections", signal_name, len(open_connections))
            nursery.cancel_scope.cancel()

        wait_for_shutdown_signal(lambda name: token.run_sync_soon(shut_down, name))
        handler = functools.partial(echo, open_connections=open_connections)
        # nursery.start returns once the listeners are bound, so a port in use fails here, before "listening".
        listeners = await nursery.start(functools.partial(trio.serve_tcp, handler, port, host=host))
        log.info("listening on %s", format_address(listeners[0].socket.getsockname()))
    log.info("stopped")


def first_exception(group):
    while isinstance(group, BaseExceptionGroup):
        group = group.exceptions[0]
    return group


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
    error = None
    try:
        trio.run(serve, arguments.host, arguments.port, strict_exception_groups=True)
    except* OSError as group:
        error = first_exception(group)
    if error is not None:
        reason = "port already in use" if error.errno == errno.EADDRINUSE else error.strerror or str(error)
        print(f"server: cannot listen on {arguments.host}:{arguments.port}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
