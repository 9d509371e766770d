"""Helpers for the probe's tests: run a fixture program for real and read what the probe saw."""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / 'test' / 'fixtures' / 'python'
PROBE_DIR = ROOT / 'python'
HERE = Path(__file__).resolve().parent
# asyncio.TaskGroup and asyncio.Runner are new in 3.11: before, the same program without them.
HAS_TASK_GROUP = sys.version_info >= (3, 11)
KNOWN = 'asyncio_known.py' if HAS_TASK_GROUP else 'asyncio_known_before_3_11.py'
KNOWN_TASKS = 8 if HAS_TASK_GROUP else 7  # the tasks and, from 3.11, the TaskGroup


def _trio_import_error():
    try:
        import trio  # noqa: F401
    except Exception as error:  # Debian's trio 0.22 raises TypeError while importing on 3.13
        return '%s: %s' % (type(error).__name__, error)
    return None


_TRIO_ERROR = _trio_import_error()
needs_trio = pytest.mark.skipif(
    _TRIO_ERROR is not None,
    reason='trio does not import on Python %d.%d: %s' % (sys.version_info[:2] + (_TRIO_ERROR,)),
)

# The in-process tests import the probe the way a program would.
if str(PROBE_DIR) not in sys.path:
    sys.path.insert(0, str(PROBE_DIR))


def _environment(extra):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([str(HERE), str(PROBE_DIR)])
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    env.update(extra)
    return env


def run_program(args, env, timeout=90):
    """Runs a Python program in its own process group; kills the group if it outlives the timeout."""
    process = subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f'{args[-1]} did not finish in {timeout} s\n{stdout}\n{stderr}')
    assert process.returncode == 0, f'{args} exited with {process.returncode}\n{stdout}\n{stderr}'
    return stdout


@pytest.fixture
def stop_at_breakpoint(tmp_path):
    """stop_at_breakpoint('asyncio_known.py') -> {'stoppedThread': snapshot, 'otherThread': snapshot}."""

    def run(fixture, **options):
        out = tmp_path / 'snapshot.json'
        env = _environment(
            {
                'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop',
                'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out),
                'ASYNC_TOOLKIT_PROBE_OPTIONS': json.dumps(options),
            }
        )
        run_program([str(FIXTURES / fixture)], env)
        return json.loads(out.read_text(encoding='utf-8'))

    return run


@pytest.fixture
def run_fixture(tmp_path):
    """run_fixture('busy_asyncio.py', hammer=True) -> (the program's stdout, hammer statistics or None)."""

    def run(fixture, hammer=False):
        stats_file = tmp_path / 'hammer.json'
        env = _environment({'ASYNC_TOOLKIT_HAMMER_OUT': str(stats_file)})
        args = [str(HERE / 'probe_hammer.py'), str(FIXTURES / fixture)] if hammer else [str(FIXTURES / fixture)]
        stdout = run_program(args, env, timeout=240)
        stats = json.loads(stats_file.read_text(encoding='utf-8')) if hammer else None
        return stdout, stats

    return run


def marker_line(fixture, name):
    """The line of `# marker: <name>` in a fixture: tests name lines, not numbers."""
    for number, line in enumerate((FIXTURES / fixture).read_text(encoding='utf-8').splitlines(), 1):
        if re.search(r'#\s*marker:\s*' + re.escape(name) + r'\b', line):
            return number
    raise AssertionError(f'no marker {name!r} in {fixture}')


def fixture_path(fixture):
    return str(FIXTURES / fixture)


def by_name(snapshot):
    tasks = {}
    for task in snapshot['tasks']:
        tasks.setdefault(task.get('name'), []).append(task)
    return tasks


def one(snapshot, name):
    matches = by_name(snapshot).get(name, [])
    assert len(matches) == 1, f'expected one task named {name!r}, found {len(matches)}: {[t.get("name") for t in snapshot["tasks"]]}'
    return matches[0]


def lines_in(task, fixture):
    """(function, line) of the task's stack frames that are in the fixture file, innermost first."""
    path = fixture_path(fixture)
    return [(frame.get('functionName'), frame['line']) for frame in task.get('stack', []) if frame['file'] == path]
