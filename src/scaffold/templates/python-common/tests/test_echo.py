"""The server and client as a user runs them: real processes, real sockets, real signals."""

import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# Generous: these run on busy CI machines; a passing test never waits this long.
TIMEOUT = 60


class Server:
    """server.py on a free port, its log collected as it runs (an unread pipe would block it)."""

    def __init__(self, *arguments, port=0, own_process_group=False):
        self.process = subprocess.Popen(
            [sys.executable, str(PROJECT / "server.py"), "--port", str(port), *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=own_process_group,
        )
        self.lines = []
        self.changed = threading.Condition()
        self.collector = threading.Thread(target=self._collect_log, daemon=True)
        self.collector.start()
        self.port = int(self.wait_for_line(r"listening on [^ ]+:(\d+)").group(1))

    def _collect_log(self):
        for raw in self.process.stderr:
            with self.changed:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # end of log
            self.changed.notify_all()

    def wait_for_line(self, pattern):
        deadline = time.monotonic() + TIMEOUT
        with self.changed:
            while True:
                for line in self.lines:
                    if line is None:
                        raise AssertionError(f"server exited before logging {pattern!r}: {self.lines}")
                    match = re.search(pattern, line)
                    if match:
                        return match
                if not self.changed.wait(deadline - time.monotonic()):
                    raise AssertionError(f"no log line matches {pattern!r}: {self.lines}")

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)

    def stop(self, signum=signal.SIGTERM):
        self.process.send_signal(signum)
        return self.process.wait(TIMEOUT)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)
        # The collector reads to the end of the log, which the exit brings. Closing the pipe while it
        # still reads would race with it (CPython raises in the reading thread), so wait for it first.
        self.collector.join(TIMEOUT)
        if not self.collector.is_alive():
            self.process.stderr.close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.kill()


def run_client(port, *arguments, data=b""):
    return subprocess.run(
        [sys.executable, str(PROJECT / "client.py"), "--port", str(port), *arguments],
        input=data,
        capture_output=True,
        timeout=TIMEOUT,
    )


def echo_through(connection, payload):
    """Sends payload from a thread while reading the echo, so neither side's buffers can fill up."""
    sender = threading.Thread(target=lambda: (connection.sendall(payload), connection.shutdown(socket.SHUT_WR)))
    sender.start()
    received = bytearray()
    while chunk := connection.recv(65536):
        received += chunk
    sender.join()
    return bytes(received)


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_echoes_binary_data_exactly(server):
    payload = random.randbytes(4 * 1024 * 1024)
    with server.connect() as connection:
        assert echo_through(connection, payload) == payload


def test_serves_many_clients_at_once(server):
    connections = [server.connect() for _ in range(200)]
    try:
        payloads = [random.randbytes(1024) for _ in connections]
        # Everyone sends before anyone reads: a server that served one client at a time would stall here.
        for connection, payload in zip(connections, payloads):
            connection.sendall(payload)
        for connection, payload in zip(connections, payloads):
            received = bytearray()
            while len(received) < len(payload):
                chunk = connection.recv(len(payload) - len(received))
                assert chunk, "connection closed early"
                received += chunk
            assert received == payload
    finally:
        for connection in connections:
            connection.close()


def test_logs_connects_and_disconnects_with_ids(server):
    with server.connect() as first, server.connect() as second:
        first.sendall(b"one")
        assert first.recv(3) == b"one"
        second.sendall(b"two")
        assert second.recv(3) == b"two"
    server.wait_for_line(r"connection 1\b.*opened")
    server.wait_for_line(r"connection 2\b.*opened")
    server.wait_for_line(r"connection 1\b.*closed")
    server.wait_for_line(r"connection 2\b.*closed")


def test_client_prints_the_echo_of_each_line_and_exits_at_end_of_input(server):
    result = run_client(server.port, data=b"hello\n")
    assert (result.returncode, result.stdout) == (0, b"hello\n"), result.stderr


def test_client_round_trips_binary_input_unchanged(server):
    payload = random.randbytes(300_000)
    result = run_client(server.port, data=payload)
    assert result.returncode == 0, result.stderr
    assert result.stdout == payload


def test_client_repeats_a_message_like_the_seed_sender(server):
    result = run_client(server.port, "--repeat", "3", "--interval", "0.01", "--message", "ping")
    assert (result.returncode, result.stdout) == (0, b"ping\n" * 3), result.stderr


def test_client_reports_a_refused_connection_in_one_line():
    result = run_client(unused_port(), data=b"hello\n")
    assert result.returncode != 0
    assert re.fullmatch(rb"client: [^\n]*refused\n", result.stderr), result.stderr


def test_server_reports_a_port_in_use_in_one_line(server):
    second = subprocess.run(
        [sys.executable, str(PROJECT / "server.py"), "--port", str(server.port)],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert second.returncode != 0
    assert re.fullmatch(rb"server: [^\n]*in use\n", second.stderr), second.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_closes_connections_and_exits_0(server, signum):
    with server.connect() as connection:
        connection.sendall(b"before")
        assert connection.recv(6) == b"before"
        assert server.stop(signum) == 0
        try:
            assert connection.recv(1) == b""
        except ConnectionResetError:
            pass  # closed with unread data in flight: also closed
    server.wait_for_line("shutting down")


def test_signals_to_the_whole_process_group_during_shutdown_keep_exit_status_0():
    # What a terminal's Ctrl+C, a supervisor, or `npm run` forwarding a signal does: several signals, all at once.
    running = Server(own_process_group=True)
    try:
        with running.connect():
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGINT, signal.SIGTERM):
                os.killpg(running.process.pid, signum)
            assert running.process.wait(TIMEOUT) == 0, running.lines
    finally:
        running.kill()


def test_a_second_signal_at_any_moment_of_shutdown_keeps_exit_status_0():
    # 0–7 ms after the first: some land while connections close, some while Python itself exits.
    for delay_ms in range(8):
        running = Server()
        try:
            running.process.send_signal(signal.SIGINT)
            time.sleep(delay_ms / 1000)
            running.process.send_signal(signal.SIGTERM)
            assert running.process.wait(TIMEOUT) == 0, (delay_ms, running.lines)
        finally:
            running.kill()


def test_a_client_that_never_reads_cannot_make_the_server_buffer_without_bound(server):
    chunk = bytes(1024 * 1024)
    accepted = 0
    with server.connect() as greedy:
        greedy.setblocking(False)
        # Write until the server stops taking bytes (it waits for us to read) or far more than any
        # sensible buffer would hold.
        while accepted < 256 * len(chunk):
            try:
                accepted += greedy.send(chunk)
            except BlockingIOError:
                if not select.select([], [greedy], [], 2)[1]:
                    break
        assert accepted < 64 * len(chunk), f"the server took {accepted >> 20} MiB from a client that never reads"
        # The stalled connection holds up no one else, and does not hold up shutdown.
        with server.connect() as other:
            assert echo_through(other, b"still serving") == b"still serving"
        assert server.stop() == 0
