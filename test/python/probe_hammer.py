"""Runs a fixture program while a background thread calls snapshot() every few milliseconds.

    python probe_hammer.py <fixture.py>

The fixture's own output is left untouched on stdout; the hammer's statistics (snapshots taken,
tasks seen, errors) go to the file named by ASYNC_TOOLKIT_HAMMER_OUT when the program ends.
"""

import atexit
import json
import os
import runpy
import sys
import threading
import time

import async_toolkit_probe

stats = {'snapshots': 0, 'withTasks': 0, 'maxTasks': 0, 'errors': []}
stop = threading.Event()


def hammer():
    while not stop.is_set():
        result = async_toolkit_probe.snapshot()
        stats['snapshots'] += 1
        if result['tasks']:
            stats['withTasks'] += 1
            stats['maxTasks'] = max(stats['maxTasks'], len(result['tasks']))
        error = result.get('error')
        # Between rounds no loop may be running for an instant: that is an honest answer, not a failure.
        if error and not error.startswith(('no running loop', 'not an async program')):
            stats['errors'].append(error)
        time.sleep(0.002)


def report():
    stop.set()
    worker.join()
    with open(os.environ['ASYNC_TOOLKIT_HAMMER_OUT'], 'w', encoding='utf-8') as out:
        json.dump(stats, out)


worker = threading.Thread(target=hammer, name='probe-hammer', daemon=True)
worker.start()
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
