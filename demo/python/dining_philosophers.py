"""Three philosophers, three forks, one deadlock.

Run "Python: dining philosophers (a deadlock)" from Run and Debug. Each philosopher picks up the fork on
the left, thinks for a moment, then reaches for the fork on the right, which the next philosopher holds:
nobody can eat, and the program would hang forever. It stops at breakpoint() after a second; the Async
Tasks view's Problems row names the three philosophers and the line where each waits, and Async Stacks
outlines them.
"""
import asyncio

PHILOSOPHERS = ['Aristotle', 'Kant', 'Spinoza']


async def dine(name, left, right):
    async with left:
        await asyncio.sleep(0.1)  # long enough for every philosopher to take a left fork
        async with right:  # waits for the neighbour's fork, forever
            print(f'{name} eats')


async def main():
    forks = [asyncio.Lock() for _ in PHILOSOPHERS]
    async with asyncio.TaskGroup() as table:
        for seat, name in enumerate(PHILOSOPHERS):
            table.create_task(dine(name, forks[seat], forks[(seat + 1) % len(forks)]), name=name)
        await asyncio.sleep(1)
        breakpoint()  # look at the Async Tasks view now: Problems names the deadlock


if __name__ == '__main__':
    asyncio.run(main())
