"""What the probe says when there is nothing to show or it is asked wrongly: never an exception."""

import json
import textwrap

from conftest import KNOWN, KNOWN_TASKS, _environment, run_program, one


def test_a_program_without_event_loop_is_not_an_async_program(stop_at_breakpoint):
    for snapshot in stop_at_breakpoint('not_async.py').values():
        assert snapshot['tasks'] == []
        assert snapshot['error'].startswith('not an async program')


def test_an_asyncio_loop_that_is_not_running_means_no_running_loop(stop_at_breakpoint):
    for snapshot in stop_at_breakpoint('asyncio_no_loop.py').values():
        assert snapshot['tasks'] == []
        assert snapshot['error'].startswith('no running loop')


def test_unknown_and_invalid_options_are_reported_and_the_snapshot_still_taken(stop_at_breakpoint):
    snapshot = stop_at_breakpoint(KNOWN, colour='red', maxTasksPerGroup=-1)['otherThread']
    assert "unknown option 'colour'" in snapshot['error']
    assert 'maxTasksPerGroup must be a non-negative integer' in snapshot['error']
    assert one(snapshot, 'consumer')['awaiting'] == 'Queue.get()'


def test_a_limit_truncates_and_counts_what_was_left_out(stop_at_breakpoint):
    snapshot = stop_at_breakpoint(KNOWN, groupBy='none', limit=3)['otherThread']
    assert len(snapshot['tasks']) == 3
    assert snapshot['truncated']['sentTasks'] == 3
    assert snapshot['truncated']['totalTasks'] == KNOWN_TASKS  # 7 tasks and the TaskGroup
    assert 'error' not in snapshot


def run_inline(tmp_path, source):
    program = tmp_path / 'program.py'
    program.write_text(textwrap.dedent(source))
    return json.loads(run_program([str(program)], _environment({})).splitlines()[-1])


def test_a_task_that_cannot_be_read_becomes_a_partial_snapshot(tmp_path):
    snapshot = run_inline(
        tmp_path,
        """
        import asyncio, json, async_toolkit_probe

        class Grumpy(asyncio.Task):
            def get_name(self):
                raise RuntimeError('no name for you')

        async def main():
            loop = asyncio.get_running_loop()
            loop.set_task_factory(lambda loop, coro, **kw: Grumpy(coro, loop=loop, **kw))
            grumpy = asyncio.create_task(asyncio.sleep(30))
            loop.set_task_factory(None)
            fine = asyncio.create_task(asyncio.sleep(30), name='fine')
            await asyncio.sleep(0)
            print(json.dumps(async_toolkit_probe.snapshot()))
            grumpy.cancel(); fine.cancel()

        asyncio.run(main())
        """,
    )
    assert snapshot['error'].startswith('could not read 1 task(s): RuntimeError: no name for you')
    assert one(snapshot, 'fine')['awaiting'] == 'asyncio.sleep(30)'
    assert len(snapshot['tasks']) == 3  # main, fine, and the unreadable one as a bare record


def test_snapshot_json_is_compact_json_of_the_same_snapshot(tmp_path):
    snapshot = run_inline(
        tmp_path,
        """
        import asyncio, json, async_toolkit_probe

        async def main():
            text = async_toolkit_probe.snapshot_json()
            assert '\\n' not in text and ', ' not in text.split('"stack"')[0]
            print(text)

        asyncio.run(main())
        """,
    )
    assert one(snapshot, 'Task-1')['state'] == 'running'


def test_importing_the_probe_imports_nothing_but_builtin_modules(tmp_path):
    result = run_inline(
        tmp_path,
        """
        import sys, json
        before = set(sys.modules)
        import async_toolkit_probe
        async_toolkit_probe.snapshot()
        added = set(sys.modules) - before - {'async_toolkit_probe'}
        print(json.dumps(sorted(added - set(sys.builtin_module_names))))
        """,
    )
    assert result == []
