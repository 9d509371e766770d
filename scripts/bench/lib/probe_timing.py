"""Times probes inside a program holding N pending asyncio tasks, without a debugger.

    python probe_timing.py <N> <runs> <requests> <probe.py>=<label> ...

Each probe file is loaded as its own module; every probe is called in turn, round after round (so that
a drift of the machine's speed touches all alike): the probe labelled "this" once per request of
<requests> (JSON: {label: request}), any other (a previous probe, which predates the request
vocabulary) without one. Arguments rather than the environment: Pyodide does not see the host's. Prints one
JSON object: {label: [milliseconds per run]}, and the text length of each result. Used for CPython 3.14
in Pyodide, where debugpy cannot run.
"""

import asyncio
import importlib.util
import json
import sys
import time


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def sleeper():
    await asyncio.sleep(3600)


async def main(count, runs, calls):
    tasks = [asyncio.create_task(sleeper(), name='sleeper-%d' % n) for n in range(count)]
    await asyncio.sleep(0)
    times = {label: [] for label, _ in calls}
    sizes = {}
    for label, call in calls:
        sizes[label] = len(call())  # a warm-up that also checks the call works
    for _ in range(runs):
        for label, call in calls:
            started = time.perf_counter()
            call()
            times[label].append((time.perf_counter() - started) * 1000)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return times, sizes


def calls_for(requests, arguments):
    calls = []
    for number, argument in enumerate(arguments):
        path, _, label = argument.partition('=')
        probe = load(path, '_bench_probe_%d' % number)
        for request_label, request in requests.items() if label == 'this' else [('', None)]:
            name = label + (' ' + request_label if request_label else '')
            calls.append((name, (lambda probe=probe, request=request: probe.snapshot_json(**(request or {})))))
    return calls


if __name__ == '__main__':
    count, runs = int(sys.argv[1]), int(sys.argv[2])
    times, sizes = asyncio.run(main(count, runs, calls_for(json.loads(sys.argv[3]), sys.argv[4:])))
    print(json.dumps({'times': times, 'sizes': sizes}))
