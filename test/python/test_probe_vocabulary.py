"""What the probe says each kind of asyncio wait is: one task per kind (test/fixtures/python/asyncio_vocabulary.py)."""

import re
import runpy
import sys

import pytest
from conftest import FIXTURES, one

VOCABULARY = 'asyncio_vocabulary.py'
EXPECTED = runpy.run_path(str(FIXTURES / VOCABULARY), run_name='vocabulary')['EXPECTED']


@pytest.fixture(scope='module')
def vocabulary(tmp_path_factory):
    import json

    from conftest import _environment, run_program

    out = tmp_path_factory.mktemp('vocabulary') / 'snapshot.json'
    env = _environment(
        {
            'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop',
            'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out),
            # The helper tasks asyncio.wait() and wait_for() wrap around awaitables are internal.
            'ASYNC_TOOLKIT_PROBE_OPTIONS': json.dumps({'includeInternals': True}),
        }
    )
    run_program([str(FIXTURES / VOCABULARY)], env)
    return json.loads(out.read_text(encoding='utf-8'))


@pytest.mark.parametrize('name', sorted(EXPECTED))
@pytest.mark.parametrize('where', ['stoppedThread', 'otherThread'])
def test_awaiting_says_what_the_task_waits_on(vocabulary, where, name):
    awaiting = one(vocabulary[where], name)['awaiting']
    pattern = re.escape(EXPECTED[name]).replace(re.escape('<port>'), r'\d+')
    assert re.fullmatch(pattern, awaiting), f'{name}: {awaiting!r}'


def test_inner_tasks_of_wait_and_wait_for_hang_under_the_waiting_task(vocabulary):
    snapshot = vocabulary['otherThread']
    ids = {task['id']: task['name'] for task in snapshot['tasks']}
    helpers = [task for task in snapshot['tasks'] if task['name'].startswith('Task-') and task['name'] != 'Task-1']
    # asyncio.wait() wraps its awaitables in tasks; wait_for() did too before 3.12.
    expected = ['wait-for', 'waiter'] if sys.version_info < (3, 12) else ['waiter']
    assert sorted(ids[task['parentId']] for task in helpers) == expected
    assert all(task['awaiting'] == 'Event.wait()' for task in helpers)
    sleeper = one(snapshot, 'sleeper')
    assert ids[sleeper['parentId']] == 'task-awaiter'
    assert sleeper['details']['parentLink'] == 'await'
