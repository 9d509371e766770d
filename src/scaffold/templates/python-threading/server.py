#!/usr/bin/env python3
"""Echo server: every byte a client sends comes back to it, unchanged.

socketserver.ThreadingTCPServer gives each connection a thread of its own running EchoHandler with
plain blocking sockets. The main thread waits for SIGINT or SIGTERM, then stops accepting, closes
every connection, waits for the connection threads to finish and exits 0.
"""

import argparse
import errno
import itertools
import logging
import signal
import socket
import socketserver
import sys
import threading

DEFAULT_PORT = 12345
# How much to read at once: enough for throughput, small enough that many threads stay cheap.
CHUNK = 65536
SHUTDOWN_SIGNALS = {signal.SIGINT, signal.SIGTERM}

log = logging.getLogger("server")
# A unique number per connection makes the log of many simultaneous connections readable.
connection_ids = itertools.count(1)


def format_address(address):
    return f"{address[0]}:{address[1]}"


class EchoHandler(socketserver.BaseRequestHandler):
    def setup(self):
        self.ident = next(connection_ids)
        self.echoed = 0
        self.server.track(self.request)
        log.info("connection %d: opened from %s", self.ident, format_address(self.client_address))

    def handle(self):
        try:
            # sendall blocks while the client is not reading its echoes, and meanwhile this thread
            # reads nothing more: the server holds at most one chunk per client.
            while data := self.request.recv(CHUNK):
                self.request.sendall(data)
                self.echoed += len(data)
            closed_by = "shutdown" if self.server.stopping.is_set() else "the client"
            log.info("connection %d: closed by %s after %d bytes", self.ident, closed_by, self.echoed)
        except OSError as error:
            if self.server.stopping.is_set():
                log.info("connection %d: closed by shutdown after %d bytes", self.ident, self.echoed)
            else:
                log.info("connection %d: lost (%s) after %d bytes", self.ident, error.strerror or error, self.echoed)

    def finish(self):
        self.server.untrack(self.request)


class EchoServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # restart at once after a stop, despite connections in TIME_WAIT
    # socketserver's default listen backlog is 5: with many clients connecting at once the kernel
    # would drop most of them.
    request_queue_size = 1024
    # server_close() waits for the connection threads, so shutdown ends with every connection closed.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address):
        self.stopping = threading.Event()
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, EchoHandler)

    def track(self, connection):
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection):
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self):
        """Wakes every connection thread: its blocked recv returns b"" and its blocked sendall fails."""
        self.stopping.set()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client
        return len(connections)


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
    # Blocked before any thread starts, so every thread inherits the mask: the signals reach no thread
    # and wait, queued, for the main thread's sigwait below. A second signal (another Ctrl+C, the copy a
    # supervisor sends to the whole process group) stays queued and can never cut the shutdown short.
    signal.pthread_sigmask(signal.SIG_BLOCK, SHUTDOWN_SIGNALS)
    try:
        server = EchoServer((arguments.host, arguments.port))
    except OSError as error:
        reason = "port already in use" if error.errno == errno.EADDRINUSE else error.strerror or str(error)
        print(f"server: cannot listen on {arguments.host}:{arguments.port}: {reason}", file=sys.stderr)
        return 1
    log.info("listening on %s", format_address(server.server_address))
    accepting = threading.Thread(target=server.serve_forever, name="accept")
    accepting.start()

    signum = signal.sigwait(SHUTDOWN_SIGNALS)
    log.info("%s: shutting down", signal.Signals(signum).name)
    server.shutdown()  # stops accepting; returns once serve_forever has returned
    accepting.join()
    log.info("closing %d connections", server.close_connections())
    server.server_close()  # closes the listening socket and joins the connection threads
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
