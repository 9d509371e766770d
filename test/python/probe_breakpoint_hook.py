"""PYTHONBREAKPOINT target for the probe's tests: breakpoint() in a fixture takes two snapshots.

One in the thread that called breakpoint() (as debugpy evaluates in the stopped thread), one from a
fresh thread while the caller waits (as when the user stopped another thread). Both are written as
JSON to the file named by ASYNC_TOOLKIT_SNAPSHOT_OUT, then the program continues.
"""

import json
import os
import threading

import async_toolkit_probe


def stop(*args, **kwargs):
    options = json.loads(os.environ.get('ASYNC_TOOLKIT_PROBE_OPTIONS', '{}'))
    in_stopped_thread = async_toolkit_probe.snapshot(**options)
    box = {}
    other = threading.Thread(target=lambda: box.update(snapshot=async_toolkit_probe.snapshot(**options)), name='probe-other-thread')
    other.start()
    other.join()
    with open(os.environ['ASYNC_TOOLKIT_SNAPSHOT_OUT'], 'w', encoding='utf-8') as out:
        json.dump({'stoppedThread': in_stopped_thread, 'otherThread': box['snapshot']}, out)
