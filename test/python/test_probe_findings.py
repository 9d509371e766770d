"""What the probe proves on its own (test/fixtures/findings/): who holds a trio Lock, a future nothing
else can reach, coroutines no task runs. The view's half (cycles from parent links, and how the two
combine) is tested in test/unit/tasks/findingsInPrograms.test.ts; this file runs on every CPython."""

import json
import os

from conftest import ROOT, _environment, needs_trio, run_program

FINDINGS = ROOT / 'test' / 'fixtures' / 'findings'


def findings_of(fixture):
    env = _environment({'ASYNC_TOOLKIT_PROBE': str(ROOT / 'python' / 'async_toolkit_probe.py')})
    snapshot = json.loads(run_program([str(FINDINGS / fixture)], env).strip().splitlines()[-1])
    names = {task['id']: task.get('name') for task in snapshot['tasks']}
    return snapshot, [(finding['kind'], sorted(names.get(id) for id in finding['taskIds'])) for finding in snapshot['findings']]


def marker(fixture, name):
    for number, line in enumerate((FINDINGS / fixture).read_text(encoding='utf-8').splitlines(), 1):
        if '# marker: ' + name in line:
            return number
    raise AssertionError(name)


@needs_trio
def test_trio_lock_cycles_name_every_member():
    snapshot, found = findings_of('trio_lock_cycle.py')
    assert sorted(found) == [('lockCycle', ['philosopher-a', 'philosopher-b']), ('lockCycle', ['ring-0', 'ring-1', 'ring-2'])]
    lines = {finding['site']['line'] for finding in snapshot['findings']}
    assert lines == {marker('trio_lock_cycle.py', 'takes the second lock'), marker('trio_lock_cycle.py', 'ring member waits')}


@needs_trio
def test_trio_orphan_waits_are_the_ones_nothing_else_can_reach():
    _, found = findings_of('trio_orphan_wait.py')
    assert sorted(found) == [('orphan', ['forgotten-event']), ('orphan', ['sender-gone'])]


def test_asyncio_lock_cycles_are_read_from_async_with_blocks():
    snapshot, found = findings_of('asyncio_lock_cycle.py')
    assert found == [('lockCycle', ['credit', 'debit'])]
    assert snapshot['findings'][0]['message'].endswith('none can go on (holders read from their `async with` blocks)')
    assert snapshot['findings'][0]['site']['line'] == marker('asyncio_lock_cycle.py', 'waits for the other lock')


def test_asyncio_orphan_futures_are_the_ones_nothing_else_can_reach():
    _, found = findings_of('asyncio_orphan_future.py')
    assert sorted(found) == [('orphan', ['forgotten-event']), ('orphan', ['forgotten-future'])]


def test_asyncio_await_cycles_are_left_to_the_view():
    _, found = findings_of('asyncio_await_cycle.py')
    assert found == []


def test_never_awaited_coroutines_are_found_once_per_function():
    snapshot, found = findings_of('asyncio_never_awaited.py')
    assert found == [('orphan', [])]
    finding = snapshot['findings'][0]
    assert finding['message'] == '2 send_reminder() coroutines created and never awaited: no task runs them'
    assert finding['site']['line'] == marker('asyncio_never_awaited.py', 'never awaited')
    assert os.path.basename(finding['site']['file']) == 'asyncio_never_awaited.py'


def _findings_during(program):
    """Every finding of every snapshot taken while ``program`` runs (snapshots_during.py holds the
    program's thread during each, as a debugger's stop does), with how many snapshots had tasks."""
    env = _environment({'ASYNC_TOOLKIT_PROBE': str(ROOT / 'python' / 'async_toolkit_probe.py')})
    output = run_program([str(FINDINGS / 'snapshots_during.py'), str(ROOT / 'test' / 'fixtures' / 'python' / program)], env, timeout=240)
    lines = output.splitlines()
    snapshots = [json.loads(line) for line in lines[lines.index('--- snapshots ---') + 1 :] if line.strip()]
    return len(snapshots), [finding for snapshot in snapshots for finding in snapshot['findings']]


def test_the_busy_asyncio_workload_shows_only_the_waits_its_structure_makes_endless():
    snapshots, found, _ = _findings_during('busy_asyncio.py')
    assert snapshots >= 10
    # never_finishes() awaits asyncio.Event().wait(), an Event nothing else holds, until it is cancelled.
    assert {(finding['kind'], finding['site']['functionName']) for finding in found} == {('orphan', 'never_finishes')}


@needs_trio
def test_the_busy_trio_workload_shows_nothing():
    snapshots, found, _ = _findings_during('busy_trio.py')
    assert snapshots >= 10
    assert found == []


@needs_trio
def test_stops_inside_trio_skip_the_checks_a_half_done_step_would_fool():
    # Held at frames of trio's own code too, as a debugger stepping into libraries holds it: a task half
    # spawned or a channel mid-handover must not read as an orphan or a coroutine never awaited.
    snapshots, found, skipped = _findings_during('busy_trio.py', anywhere=True)
    assert snapshots >= 10
    assert skipped >= 1
    assert found == []


def test_stops_inside_asyncio_skip_the_checks_a_half_done_step_would_fool():
    snapshots, found, skipped = _findings_during('busy_asyncio.py', anywhere=True)
    assert snapshots >= 10
    assert skipped >= 1
    assert {finding['site']['functionName'] for finding in found} <= {'never_finishes'}


def _findings_during(program, anywhere=False):
    """Every finding of every snapshot taken while ``program`` runs (snapshots_during.py holds the
    program's thread during each, as a debugger's stop does: at its own code, or ``anywhere``), with
    how many snapshots had tasks and how many skipped the checks as taken mid-step."""
    env = _environment({'ASYNC_TOOLKIT_PROBE': str(ROOT / 'python' / 'async_toolkit_probe.py')})
    args = [str(FINDINGS / 'snapshots_during.py'), str(ROOT / 'test' / 'fixtures' / 'python' / program)]
    output = run_program(args + (['--anywhere'] if anywhere else []), env, timeout=240)
    lines = output.splitlines()
    snapshots = [json.loads(line) for line in lines[lines.index('--- snapshots ---') + 1 :] if line.strip()]
    skipped = sum(1 for snapshot in snapshots if any('checks skipped' in note for note in snapshot.get('notes') or ()))
    return len(snapshots), [finding for snapshot in snapshots for finding in snapshot['findings']], skipped
