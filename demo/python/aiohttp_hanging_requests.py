"""An aiohttp inventory service whose requests hang, with its own clients waiting on it.

Run it under the debugger ("Python: aiohttp server with hanging requests"): once the requests are
stuck it stops at breakpoint(), and the Async Tasks view shows where each one waits — the handlers at
their own lines (a stock count that never arrives, a body that stops halfway), the clients in aiohttp's
`ClientResponse.start()` with the server's address, and the requests queued for a free connection.
Needs Debian's python3-aiohttp.
"""

import asyncio
import os

from aiohttp import ClientSession, TCPConnector, web

stock_counted = asyncio.Event()  # the warehouse never answers
writers = []


async def item_stock(request):
    await stock_counted.wait()  # the handler waits for the warehouse
    return web.json_response({'item': request.match_info['item'], 'stock': 0})


async def upload_order(request):
    order = await request.read()  # the client stopped sending halfway
    return web.json_response({'bytes': len(order)})


async def start_server():
    app = web.Application()
    app.router.add_get('/stock/{item}', item_stock)
    app.router.add_post('/orders', upload_order)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', 0)
    await site.start()
    return site._server.sockets[0].getsockname()[1]


async def half_an_upload(port):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writers.append(writer)
    writer.write(b'POST /orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 2048\r\n\r\n{"items": [')
    await writer.drain()


async def main():
    port = await start_server()
    async with ClientSession(connector=TCPConnector(limit=8)) as session:

        async def check_stock(item):
            async with session.get('http://127.0.0.1:%d/stock/%s' % (port, item)) as response:
                return await response.json()

        items = ['lamp', 'desk', 'chair', 'shelf', 'rug', 'vase', 'clock', 'mirror', 'sofa', 'bed', 'stool', 'crate']
        checks = [asyncio.create_task(check_stock(item), name='stock-' + item) for item in items]
        for _ in range(3):
            await half_an_upload(port)
        await asyncio.sleep(0.5)
        breakpoint()  # every request is stuck now: open the Async Tasks view
        for check in checks:
            check.cancel()
    os._exit(0)  # the handlers never finish; aiohttp's shutdown would wait a minute for them


if __name__ == '__main__':
    asyncio.run(main())
