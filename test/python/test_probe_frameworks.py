"""The probe on real frameworks from Debian's packages (test/fixtures/python/frameworks/) and on
asyncio's own library waits: every named task's awaiting text, the line the view opens for it (its
innermost frame of the program's own code, library frames marked), and every group with its size.
Each program stops at breakpoint(); both snapshots (from the stopped thread and from another
thread) are checked. A framework that does not import on this Python is skipped, saying why."""

import functools
import importlib
import json
import re
import runpy
import sys

import pytest
from conftest import FIXTURES, _environment, run_program

CASES = {
    'aiohttp': ('frameworks/aiohttp_server.py', (), ('aiohttp',)),
    'aiohttp on uvloop': ('frameworks/aiohttp_server.py', ('uvloop',), ('aiohttp', 'uvloop')),
    'httpx': ('frameworks/httpx_client.py', (), ('httpx',)),
    'httpx on trio': ('frameworks/httpx_client.py', ('trio',), ('httpx', 'trio')),
    'websockets': ('frameworks/websockets_client.py', (), ('websockets',)),
    'anyio on asyncio': ('frameworks/anyio_tasks.py', ('asyncio',), ('anyio',)),
    'anyio on trio': ('frameworks/anyio_tasks.py', ('trio',), ('anyio', 'trio')),
    'asyncio waits': ('asyncio_waits.py', (), ()),
}


def _import_problem(modules):
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as error:  # not installed, or compiled for another Python, or broken there
            return '%s does not import on Python %d.%d: %s: %s' % ((module,) + sys.version_info[:2] + (type(error).__name__, error))
    return None


def _pattern(text):
    return re.escape(text).replace(re.escape('<port>'), r'\d+').replace(re.escape('<pid>'), r'\d+')


@functools.lru_cache(maxsize=None)
def _snapshots(case):
    fixture, args, modules = CASES[case]
    problem = _import_problem(modules)
    if problem:
        return problem, None
    import tempfile
    from pathlib import Path

    out = Path(tempfile.mkdtemp()) / 'snapshot.json'
    env = _environment({'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop', 'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out)})
    run_program([str(FIXTURES / fixture), *args], env)
    return None, json.loads(out.read_text(encoding='utf-8'))


@pytest.fixture(params=sorted(CASES))
def case(request):
    problem, snapshots = _snapshots(request.param)
    if problem:
        pytest.skip(problem)
    fixture = CASES[request.param][0]
    expected = runpy.run_path(str(FIXTURES / fixture), run_name='expected')
    return fixture, expected, snapshots


@pytest.fixture(params=['stoppedThread', 'otherThread'])
def where(request):
    return request.param


def _marker(fixture, name):
    for number, line in enumerate((FIXTURES / fixture).read_text(encoding='utf-8').splitlines(), 1):
        if '# marker: ' + name in line:
            return number
    raise AssertionError('no marker %r in %s' % (name, fixture))


def _opens(task):
    """The frame the view opens: the innermost one without an origin."""
    return next((frame for frame in task.get('stack', []) if 'origin' not in frame), None)


def test_every_named_task_says_which_library_call_it_waits_in(case, where):
    fixture, expected, snapshots = case
    snapshot = snapshots[where]
    assert 'error' not in snapshot, snapshot.get('error')
    tasks = {task.get('name'): task for task in snapshot['tasks']}
    for name, text in expected['EXPECTED'].items():
        assert name in tasks, '%s: no task %r among %s' % (fixture, name, sorted(map(str, tasks)))
        assert re.fullmatch(_pattern(text), tasks[name].get('awaiting', '')), '%s: %r' % (name, tasks[name].get('awaiting'))
        assert 'Future (pending)' not in tasks[name]['awaiting']
    # Nothing was cancelled before the stop: anyio 3 leaves Task.cancelling() above 0 after connect_tcp,
    # which must not read as a cancellation in progress.
    assert [task.get('name') for task in snapshot['tasks'] if 'cancelling' in task.get('details', {})] == []


def test_selecting_a_task_opens_the_programs_own_line(case, where):
    fixture, expected, snapshots = case
    tasks = {task.get('name'): task for task in snapshots[where]['tasks']}
    for name, marker in expected['OPENS'].items():
        if name not in expected['EXPECTED']:
            continue
        frame = _opens(tasks[name])
        assert frame is not None and frame['file'].endswith(fixture.split('/')[-1]), (name, tasks[name].get('stack'))
        assert frame['line'] == _marker(fixture, marker), (name, frame)
        # The library's frames stay in the stack, marked, between the program's line and the wait.
        assert all(frame.get('origin') in (None, 'library', 'runtime') for frame in tasks[name]['stack'])


def test_groups_keep_per_instance_details_out_of_their_labels(case, where):
    fixture, expected, snapshots = case
    snapshot = snapshots[where]
    tasks = {task['id']: task for task in snapshot['tasks']}
    groups = {}
    for group in snapshot['groups']:
        members = [tasks[task_id] for task_id in group['taskIds']]
        if any(task['state'] == 'running' for task in members):
            continue  # the task stopped at breakpoint()
        groups[group['label']] = (group['count'], members)
    expected_groups = dict(expected['GROUPS'])
    if snapshot['runtime'] == 'trio':
        expected_groups.update(expected.get('TRIO_GROUPS', {}))
    assert len(groups) == len(expected_groups), sorted(groups)
    for label, (count, markers) in expected_groups.items():
        found = [key for key in groups if re.fullmatch(_pattern(label), key)]
        assert len(found) == 1, '%s: %r not among %s' % (fixture, label, sorted(groups))
        assert groups[found[0]][0] == count, (label, groups[found[0]][0])
        lines = {None if marker is None else _marker(fixture, marker) for marker in markers}
        for task in groups[found[0]][1]:
            frame = _opens(task)
            assert (frame['line'] if frame else None) in lines, (label, task.get('name'), task.get('stack'))


@pytest.mark.parametrize('loop', ['asyncio', 'uvloop'])
def test_a_loaded_aiohttp_server_groups_into_a_handful(loop, tmp_path):
    """3 060 tasks of 1 700 connections: the view's first screen is a handful of groups whatever the
    peers' ports or the tasks' names, with and without the library's own connection tasks."""
    modules = ('aiohttp', 'uvloop') if loop == 'uvloop' else ('aiohttp',)
    problem = _import_problem(modules)
    if problem:
        pytest.skip(problem)
    out = tmp_path / 'snapshot.json'
    env = _environment(
        {
            'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop',
            'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out),
            'ASYNC_TOOLKIT_PROBE_OPTIONS': json.dumps({'includeInternals': True, 'maxTasksPerGroup': 5}),
        }
    )
    run_program([str(FIXTURES / 'frameworks' / 'aiohttp_loaded.py'), '1700'] + (['uvloop'] if loop == 'uvloop' else []), env)
    snapshot = json.loads(out.read_text(encoding='utf-8'))['otherThread']
    groups = {re.sub(r':\d+$', ':<port>', group['label']): group['count'] for group in snapshot['groups']}
    assert groups == {
        'RequestHandler.start() — handling a request on 127.0.0.1:<port>': 1360,
        'Event.wait()': 680,
        'Request.read() — socket read on 127.0.0.1:<port>': 680,
        'RequestHandler.start() — waiting for the next request on 127.0.0.1:<port>': 340,
        'main()': 1,
    }
    assert sum(groups.values()) == snapshot['truncated']['totalTasks'] == 3061


def test_hidden_library_tasks_are_counted_in_the_notes():
    """Unnamed tasks that run only a library's code are internal (a server's idle connections), and so
    is a task the program made straight on a library call: the notes say how many are hidden, so that
    a hanging request of the program's is never hidden without a word."""
    problem, snapshots = _snapshots('aiohttp')
    if problem:
        pytest.skip(problem)
    for where in ('stoppedThread', 'otherThread'):
        notes = snapshots[where].get('notes', [])
        hidden = [note for note in notes if "running only a library's code" in note]
        assert len(hidden) == 1, notes
        assert re.match(r"^\d+ unnamed tasks? running only a library's code .* Show Runtime Internals lists", hidden[0])
