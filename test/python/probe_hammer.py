"""Runs a fixture program while a background thread calls snapshot() every few milliseconds.

    python probe_hammer.py <fixture.py>

The fixture's own output is left untouched on stdout; the hammer's statistics (snapshots taken,
tasks seen, errors, garbage collections that started inside a snapshot call, and whether a call
left the collector off) go to the file named by ASYNC_TOOLKIT_HAMMER_OUT when the program ends.
"""

import atexit
import gc
import json
import os
import runpy
import sys
import threading
import time

import async_toolkit_probe

stats = {'snapshots': 0, 'withTasks': 0, 'maxTasks': 0, 'errors': [], 'collectionsInProbe': 0, 'collectorLeftOff': 0}
stop = threading.Event()
PROBE_FILE = async_toolkit_probe.__file__
# The probe's entry points, which pause the collector before the probe's work starts.
PROBE_ENTRIES = ('snapshot', '_as_guest', '_debugpy_tracing_switch')


def count_collections_in_probe(phase, info):
    """A collection runs the finalizers of what it frees in the thread that started it: count those
    started while the probe's work is on this thread's stack (this thread's own frames only)."""
    if phase != 'start':
        return
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == PROBE_FILE and frame.f_code.co_name not in PROBE_ENTRIES:
            stats['collectionsInProbe'] += 1
            return
        frame = frame.f_back


def hammer():
    while not stop.is_set():
        result = async_toolkit_probe.snapshot()
        if not gc.isenabled():
            stats['collectorLeftOff'] += 1
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
gc.callbacks.append(count_collections_in_probe)
worker.start()
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
