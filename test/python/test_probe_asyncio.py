"""The probe on real asyncio programs with known structure (test/fixtures/python)."""

import re

import pytest
from conftest import HAS_TASK_GROUP, KNOWN, by_name, fixture_path, lines_in, marker_line, one


@pytest.fixture(scope='module')
def known_snapshots(tmp_path_factory):
    # One real run serves every test of this module; each test reads a different part of it.
    import json

    from conftest import FIXTURES, _environment, run_program

    out = tmp_path_factory.mktemp('known') / 'snapshot.json'
    env = _environment({'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop', 'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out)})
    run_program([str(FIXTURES / KNOWN)], env)
    return json.loads(out.read_text(encoding='utf-8'))


@pytest.fixture(params=['stoppedThread', 'otherThread'])
def known(request, known_snapshots):
    """The same assertions hold whether the probe runs in the loop's thread or in another one."""
    return known_snapshots[request.param]


def test_reports_the_asyncio_runtime_without_error(known):
    assert known['runtime'] == 'asyncio'
    assert known['version'] == 2
    assert 'error' not in known
    assert known['tasks'], 'no task found'


def test_the_stopped_main_task_is_running_at_the_breakpoint_line(known):
    main = one(known, 'Task-1')
    assert main['state'] == 'running'
    assert main['stack'][-1]['functionName'] == 'main'  # outermost frame: the task's coroutine
    assert ('main', marker_line(KNOWN, 'breakpoint')) in lines_in(main, KNOWN)
    assert main['parentId'] is None


@pytest.mark.skipif(not HAS_TASK_GROUP, reason='asyncio.TaskGroup is new in 3.11')
def test_task_group_children_hang_under_a_task_group_node_owned_by_main(known):
    main = one(known, 'Task-1')
    groups = [task for task in known['tasks'] if task['type'] == 'TaskGroup']
    assert len(groups) == 1
    group = groups[0]
    assert group['parentId'] == main['id']
    assert group['details']['tasks'] == 4
    for name in ('consumer', 'lock-waiter', 'gatherer', 'offload'):
        child = one(known, name)
        assert child['parentId'] == group['id'], name
        assert child['details']['parentLink'] == 'TaskGroup'


def test_queue_consumer_awaits_queue_get_at_its_line(known):
    consumer = one(known, 'consumer')
    assert consumer['state'] == 'pending'
    assert consumer['awaiting'] == 'Queue.get()'
    assert lines_in(consumer, KNOWN) == [('consumer', marker_line(KNOWN, 'consumer-get'))]


def test_lock_waiter_awaits_lock_acquire_through_async_with(known):
    waiter = one(known, 'lock-waiter')
    assert waiter['awaiting'] == 'Lock.acquire()'
    assert lines_in(waiter, KNOWN) == [('lock_waiter', marker_line(KNOWN, 'lock-wait'))]


def test_gather_children_are_children_of_the_gathering_task(known):
    gatherer = one(known, 'gatherer')
    assert gatherer['awaiting'] == 'asyncio.gather() — 2 of 2 pending'
    assert lines_in(gatherer, KNOWN) == [('gatherer', marker_line(KNOWN, 'gather'))]
    sleepers = [task for task in known['tasks'] if task.get('stack', [{}])[-1].get('functionName') == 'sleeper']
    assert len(sleepers) == 2
    for sleeper in sleepers:
        assert sleeper['parentId'] == gatherer['id']
        assert sleeper['details']['parentLink'] == 'gather'
        assert lines_in(sleeper, KNOWN) == [('sleeper', marker_line(KNOWN, 'sleeper'))]
    # The argument as written, so sleepers of one call site group together; the time left in details.
    assert sorted(sleeper['awaiting'] for sleeper in sleepers) == ['asyncio.sleep(3600)', 'asyncio.sleep(7200)']
    left = sorted(int(re.fullmatch(r'(\d+) s', sleeper['details']['wakesIn']).group(1)) for sleeper in sleepers)
    assert 3590 <= left[0] <= 3600 and 7190 <= left[1] <= 7200


def test_task_blocked_in_run_in_executor_says_a_worker_thread_runs_it(known):
    offload = one(known, 'offload')
    assert offload['awaiting'] == 'loop.run_in_executor() — running in a worker thread'
    assert lines_in(offload, KNOWN) == [('offload', marker_line(KNOWN, 'executor'))]


def test_stacks_hold_only_program_frames_by_default(known):
    for task in known['tasks']:
        for frame in task.get('stack', []):
            assert '/asyncio/' not in frame['file'], (task['name'], frame)
            assert frame['line'] >= 1


def test_runtime_frames_are_included_with_internals(stop_at_breakpoint):
    snapshot = stop_at_breakpoint(KNOWN, includeInternals=True)['otherThread']
    consumer = one(snapshot, 'consumer')
    functions = [frame['functionName'] for frame in consumer['stack']]
    assert functions == ['Queue.get', 'consumer']  # innermost first


def test_one_loop_in_the_main_thread_adds_no_loop_or_thread_details(known):
    for task in known['tasks']:
        if task['type'] == 'Task':
            assert 'thread' not in task.get('details', {})
            assert 'loop' not in task.get('details', {})


def test_ids_are_unique_and_parents_exist(known):
    ids = [task['id'] for task in known['tasks']]
    assert len(ids) == len(set(ids))
    for task in known['tasks']:
        assert task['parentId'] is None or task['parentId'] in ids


def test_a_stop_in_a_thread_without_a_loop_still_sees_every_loop(stop_at_breakpoint):
    snapshots = stop_at_breakpoint('asyncio_threads.py')
    for snapshot in snapshots.values():
        assert 'error' not in snapshot, snapshot.get('error')
        tasks = by_name(snapshot)
        main_beat = one(snapshot, 'main-heartbeat')
        assert main_beat['details']['thread'] == 'MainThread'
        assert main_beat['awaiting'] == 'asyncio.sleep(3600)'
        assert lines_in(main_beat, 'asyncio_threads.py') == [('heartbeat', marker_line('asyncio_threads.py', 'heartbeat'))]
        for n in range(2):
            side = one(snapshot, f'side-heartbeat-{n}')
            assert side['details']['thread'] == 'side-loop'
            assert side['details']['loop'] != main_beat['details']['loop']
        main = one(snapshot, 'Task-1')
        assert main['awaiting'] == 'loop.run_in_executor() — running in a worker thread'
        assert 'Task-1' in tasks


def test_creation_site_is_reported_when_origin_tracking_is_on(tmp_path):
    import json
    import textwrap

    from conftest import _environment, run_program

    program = tmp_path / 'origin.py'
    program.write_text(
        textwrap.dedent(
            """
            import asyncio, sys, json, async_toolkit_probe
            sys.set_coroutine_origin_tracking_depth(4)

            async def sleeper():
                await asyncio.sleep(60)

            async def main():
                task = asyncio.create_task(sleeper(), name='tracked')
                await asyncio.sleep(0)
                print(json.dumps(async_toolkit_probe.snapshot()))
                task.cancel()

            asyncio.run(main())
            """
        )
    )
    snapshot = json.loads(run_program([str(program)], _environment({})))
    tracked = one(snapshot, 'tracked')
    assert tracked['site'] == {'file': str(program), 'line': 9, 'functionName': 'main'}
    assert fixture_path(KNOWN) != str(program)


def test_uvloop_tasks_are_read_like_asyncio_ones(tmp_path):
    import json
    import textwrap

    from conftest import _environment, run_program

    try:
        import uvloop  # noqa: F401  Debian's python3-uvloop
    except ImportError:
        pytest.skip("uvloop is compiled for Debian's Python 3.11 only (tested in the python layer)")
    program = tmp_path / 'on_uvloop.py'
    program.write_text(
        textwrap.dedent(
            """
            import asyncio, json, uvloop, async_toolkit_probe

            async def main():
                queue = asyncio.Queue()
                tasks = [asyncio.create_task(asyncio.sleep(60), name='sleeper'),
                         asyncio.create_task(queue.get(), name='getter')]
                await asyncio.sleep(0.01)
                print(json.dumps(async_toolkit_probe.snapshot()))
                for task in tasks:
                    task.cancel()

            uvloop.run(main()) if hasattr(uvloop, 'run') else (uvloop.install(), asyncio.run(main()))
            """
        )
    )
    snapshot = json.loads(run_program([str(program)], _environment({})).splitlines()[-1])
    assert 'error' not in snapshot
    assert one(snapshot, 'sleeper')['awaiting'] == 'asyncio.sleep(60)'
    assert re.fullmatch(r'[\d.]+ s', one(snapshot, 'sleeper')['details']['wakesIn'])
    assert one(snapshot, 'getter')['awaiting'] == 'Queue.get()'


def test_tasks_left_pending_in_an_asyncio_runner_are_seen_between_its_runs(tmp_path):
    import json
    import textwrap

    from conftest import _environment, run_program

    program = tmp_path / 'runner.py'
    program.write_text(
        textwrap.dedent(
            """
            import asyncio, json, sys, async_toolkit_probe

            async def start_background():
                event = asyncio.Event()
                return asyncio.create_task(event.wait(), name='left-pending'), event

            async def finish(task):
                await task

            # Between two runs the loop exists but does not run; its task still waits.
            if sys.version_info >= (3, 11):
                with asyncio.Runner() as runner:
                    task, event = runner.run(start_background())
                    print(json.dumps(async_toolkit_probe.snapshot()))
                    event.set()
                    runner.run(finish(task))
            else:  # no asyncio.Runner before 3.11: the same with a loop of one's own
                loop = asyncio.new_event_loop()
                task, event = loop.run_until_complete(start_background())
                print(json.dumps(async_toolkit_probe.snapshot()))
                event.set()
                loop.run_until_complete(finish(task))
                loop.close()
            """
        )
    )
    snapshot = json.loads(run_program([str(program)], _environment({})).splitlines()[-1])
    assert 'error' not in snapshot, snapshot.get('error')
    assert snapshot['runtime'] == 'asyncio'
    left = one(snapshot, 'left-pending')
    assert left['state'] == 'pending'
    assert left['awaiting'] == 'Event.wait()'


def test_a_uvloop_loop_is_named_after_its_thread_when_the_probe_runs_in_it(tmp_path):
    """uvloop keeps its thread id out of Python's reach (asyncio's loops have _thread_id): a stop in
    one of its tasks still knows the thread, since the probe runs there."""
    import json
    import textwrap

    from conftest import _environment, run_program

    try:
        import uvloop  # noqa: F401  Debian's python3-uvloop
    except ImportError:
        pytest.skip("uvloop is compiled for Debian's Python 3.11 only (tested in the python layer)")
    program = tmp_path / 'uvloop_thread.py'
    program.write_text(
        textwrap.dedent(
            """
            import asyncio, json, threading, uvloop, async_toolkit_probe

            main_ready = threading.Event()

            async def on_uvloop():
                sleeper = asyncio.create_task(asyncio.sleep(60), name='uv-sleeper')
                await asyncio.sleep(0.01)
                main_ready.wait(10)
                print(json.dumps(async_toolkit_probe.snapshot()))
                sleeper.cancel()

            async def main():
                sleeper = asyncio.create_task(asyncio.sleep(60), name='main-sleeper')
                side = threading.Thread(target=lambda: uvloop.new_event_loop().run_until_complete(on_uvloop()), name='uv-side')
                side.start()
                await asyncio.sleep(0.01)
                main_ready.set()
                await asyncio.to_thread(side.join)
                sleeper.cancel()

            asyncio.run(main())
            """
        )
    )
    snapshot = json.loads(run_program([str(program)], _environment({})).splitlines()[-1])
    assert 'error' not in snapshot, snapshot.get('error')
    assert one(snapshot, 'uv-sleeper')['details']['thread'] == 'uv-side'
    assert one(snapshot, 'main-sleeper')['details']['thread'] == 'MainThread'
