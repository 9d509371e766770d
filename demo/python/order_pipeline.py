"""Async Toolkit demo: an asyncio order pipeline that is slower than it should be.

Run "Python: asyncio order pipeline" from Run and Debug. Every two seconds the program stops at
breakpoint(); open the Async Tasks view (Async Toolkit icon in the activity bar) and look for why:

* five fetchers queue on one Lock.acquire() — the supplier client allows one request at a time,
  and the one holding it sleeps (the bottleneck);
* three packers wait on Queue.get(): one order reaches them every 1.5 s;
* a price refresher gathers two lookups that sleep;
* the nightly report waits in run_in_executor(): a blocking call runs in a worker thread.

Switch to the parent tree (the view's title bar) to see main -> TaskGroup -> each worker.
"""

import asyncio
import time

SUPPLIER_LATENCY = 1.5  # seconds per request; one request at a time


async def ask_supplier(lock, order):
    async with lock:  # the supplier client is not concurrent
        await asyncio.sleep(SUPPLIER_LATENCY)
        return f'parts for order {order}'


async def fetcher(number, orders, packing, lock):
    while True:
        order = await orders.get()
        parts = await ask_supplier(lock, order)
        await packing.put((order, parts))
        orders.task_done()


async def packer(number, packing):
    while True:
        order, parts = await packing.get()
        print(f'packer {number}: packed order {order} with {parts}')
        packing.task_done()


async def look_up_price(item, seconds):
    await asyncio.sleep(seconds)
    return len(item)


async def refresh_prices():
    while True:
        prices = await asyncio.gather(look_up_price('bolts', 30), look_up_price('nuts', 45))
        print('prices', prices)


def write_report_blocking():
    time.sleep(3600)  # stands for a slow, blocking library call


async def nightly_report():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, write_report_blocking)


async def main():
    orders = asyncio.Queue()
    packing = asyncio.Queue()
    supplier_lock = asyncio.Lock()
    for order in range(20):
        orders.put_nowait(order)
    async with asyncio.TaskGroup() as group:
        for number in range(5):
            group.create_task(fetcher(number, orders, packing, supplier_lock), name=f'fetcher-{number}')
        for number in range(3):
            group.create_task(packer(number, packing), name=f'packer-{number}')
        group.create_task(refresh_prices(), name='price-refresher')
        group.create_task(nightly_report(), name='nightly-report')
        while True:
            await asyncio.sleep(2)
            breakpoint()  # look at the Async Tasks view now


if __name__ == '__main__':
    asyncio.run(main())
