#!/usr/bin/env python3
"""Echo client: sends each line of standard input to the server and prints what comes back.

Three threads, joined by a queue.Queue: a producer reads standard input (or repeats a message) into
the queue, a sender thread takes chunks from it and sends them, and the main thread receives the
echoes and prints them. At the end of input the sender half-closes the connection, and the client
exits once every byte has come back.
"""

import argparse
import queue
import socket
import sys
import threading
import time

DEFAULT_PORT = 12345
DEFAULT_MESSAGE = "async can sometimes be confusing, but I believe in you!"
# At most this much of a line is read at once, so input without newlines cannot fill memory.
CHUNK = 65536
RETRY_DELAY = 0.2
END_OF_INPUT = None


class EchoIncomplete(Exception):
    pass


class Progress:
    """Counts bytes both ways, so the receiver knows when every echo has arrived."""

    def __init__(self):
        self.sent = 0
        self.received = 0
        self.input_finished = threading.Event()

    def all_echoed(self):
        return self.input_finished.is_set() and self.received >= self.sent


def read_standard_input(chunks):
    while line := sys.stdin.buffer.readline(CHUNK):
        chunks.put(line)
    chunks.put(END_OF_INPUT)


def repeat(chunks, message, count, interval):
    for index in range(count):
        if index:
            time.sleep(interval)
        chunks.put(message)
    chunks.put(END_OF_INPUT)


def send(connection, chunks, progress):
    try:
        while (chunk := chunks.get()) is not END_OF_INPUT:
            connection.sendall(chunk)
            progress.sent += len(chunk)
    except OSError:
        return  # the receiver reports the lost connection
    # Marked before the half-close: the server's reply to it may arrive before shutdown returns.
    progress.input_finished.set()
    try:
        # Half-close: the server sees the end of input, echoes what is left, then closes its side.
        connection.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # every echo may have arrived already, and the receiver closed the connection


def receive(connection, progress):
    output = sys.stdout.buffer
    while not progress.all_echoed():
        data = connection.recv(CHUNK)
        if not data:
            if progress.all_echoed():
                break
            raise EchoIncomplete(f"the server closed the connection after {progress.received} of {progress.sent} bytes")
        output.write(data)
        output.flush()
        progress.received += len(data)


def connect(host, port, wait):
    """Connects, retrying a refused connection for up to `wait` seconds (a server still starting)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return socket.create_connection((host, port))
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(RETRY_DELAY)


def run(arguments):
    with connect(arguments.host, arguments.port, arguments.wait) as connection:
        # Bounded: the producer waits while the network is slower than the input.
        chunks = queue.Queue(maxsize=16)
        progress = Progress()
        if arguments.repeat:
            message = f"{arguments.message}\n".encode()
            producer = threading.Thread(target=repeat, args=(chunks, message, arguments.repeat, arguments.interval))
        else:
            producer = threading.Thread(target=read_standard_input, args=(chunks,))
        # Daemon threads: a thread blocked reading a terminal must not keep the program alive.
        producer.daemon = True
        producer.start()
        threading.Thread(target=send, args=(connection, chunks, progress), daemon=True).start()
        receive(connection, progress)


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
        run(arguments)
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
