"""Async Toolkit demo: the trio echo server and client of the concurrency notes, in one program.

Run "Python: trio echo server and clients" from Run and Debug. The program stops at breakpoint()
every three seconds; the Async Tasks view then shows trio's task tree: the server's nursery with one
echo_server task per connection reading its socket, and each client's nursery with a sender (in
trio.sleep) and a receiver (reading the socket). Modern forms of the notes' code: f-strings, a server
bound to 127.0.0.1 on a free port, and nursery.start() to learn that port.
"""

import functools
from itertools import count

import trio

BUFSIZE = 16384
CONNECTION_COUNTER = count()


async def echo_server(server_stream):
    ident = next(CONNECTION_COUNTER)
    print(f'echo_server {ident}: started')
    try:
        async with server_stream:
            while True:
                data = await server_stream.receive_some(BUFSIZE)
                if not data:
                    print(f'echo_server {ident}: connection closed')
                    return
                await server_stream.send_all(data)
    except Exception as exc:
        print(f'echo_server {ident}: crashed: {exc!r}')


async def sender(client_stream, name):
    while True:
        await client_stream.send_all(f'{name}: async can sometimes be confusing, but I believe in you!'.encode())
        await trio.sleep(1)


async def receiver(client_stream, name):
    while True:
        data = await client_stream.receive_some(BUFSIZE)
        if not data:
            return
        print(f'{name} got {data!r}')


async def client(port, name):
    client_stream = await trio.open_tcp_stream('127.0.0.1', port)
    async with client_stream, trio.open_nursery() as nursery:
        nursery.start_soon(sender, client_stream, name, name=f'{name}-sender')
        nursery.start_soon(receiver, client_stream, name, name=f'{name}-receiver')


async def main():
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(functools.partial(trio.serve_tcp, echo_server, 0, host='127.0.0.1'))
        port = listeners[0].socket.getsockname()[1]
        for number in range(3):
            nursery.start_soon(client, port, f'client-{number}', name=f'client-{number}')
        while True:
            await trio.sleep(3)
            breakpoint()  # look at the Async Tasks view now


if __name__ == '__main__':
    trio.run(main)
