"""The probe called inside the test's own process: the request vocabulary (groups and pages), parents,
other loops, and the guest rules (silent, tracer and garbage collector left as they were).

No threads, subprocesses or sockets: these tests also run on CPython 3.14 in Pyodide (the
python-versions layer), where none of those exist. Assertions carry their own messages because
pytest's assertion rewriting is off there.
"""

import asyncio
import gc
import io
import sys

import async_toolkit_probe
import pytest

PYODIDE = sys.platform == 'emscripten'
NEEDS_TASK_GROUP = pytest.mark.skipif(sys.version_info < (3, 11), reason='asyncio.TaskGroup is new in 3.11')


async def sleeper(seconds):
    await asyncio.sleep(seconds)


async def getter(queue):
    await queue.get()


# The coroutine of the task that takes the snapshots, by its qualified name.
MAIN = 'snapshots_of.<locals>.main'


def snapshots_of(build, *requests):
    """Runs a program whose tasks ``build(tasks)`` creates, and returns one snapshot per request,
    taken from inside the program once every task has reached its await."""

    async def main():
        tasks = []
        build(tasks)
        for _ in range(3):
            await asyncio.sleep(0)
        try:
            snapshots = []
            for request in requests:  # a loop, not a comprehension: its own frame before 3.12
                snapshots.append(async_toolkit_probe.snapshot(**request))
            return snapshots
        finally:
            for task in tasks:
                task.cancel()
            ours = [task for task in tasks if task.get_loop() is asyncio.get_running_loop()]
            await asyncio.gather(*ours, return_exceptions=True)

    return asyncio.run(main())


def named(snapshot, name):
    found = [task for task in snapshot['tasks'] if task.get('name') == name]
    assert len(found) == 1, 'expected one task named %r in %r' % (name, [task.get('name') for task in snapshot['tasks']])
    return found[0]


def groups_by_label(snapshot):
    return {group['label']: group for group in snapshot['groups']}


def many_waiters(tasks):
    queue = asyncio.Queue()
    for n in range(7):
        tasks.append(asyncio.create_task(sleeper(3600), name='sleeper-%d' % n))
    for n in range(3):
        tasks.append(asyncio.create_task(getter(queue), name='getter-%d' % n))


# -- groups at the source ----------------------------------------------------------------------


def test_groups_tasks_by_what_they_await_largest_first_with_counts_and_states():
    [snapshot] = snapshots_of(many_waiters, {})
    assert 'error' not in snapshot, snapshot.get('error')
    labels = [group['label'] for group in snapshot['groups']]
    assert labels == ['asyncio.sleep(3600)', 'Queue.get()', MAIN + '()'], labels
    sleeping = groups_by_label(snapshot)['asyncio.sleep(3600)']
    assert sleeping['id'] == 'awaiting:asyncio.sleep(3600)', sleeping
    assert sleeping['kind'] == 'awaiting', sleeping
    assert sleeping['count'] == 7 and sleeping['states'] == {'pending': 7}, sleeping
    ids = {task['id']: task for task in snapshot['tasks']}
    assert sorted(ids[task_id]['name'] for task_id in sleeping['taskIds']) == ['sleeper-%d' % n for n in range(7)]
    # The task taking the snapshot awaits nothing: it is grouped by its coroutine function.
    running = groups_by_label(snapshot)[MAIN + '()']
    assert (running['id'], running['kind'], running['states']) == ('coroutine:' + MAIN, 'coroutine', {'running': 1}), running
    assert 'truncated' not in snapshot, snapshot.get('truncated')


def test_sends_the_first_tasks_of_each_group_and_counts_the_rest():
    [snapshot] = snapshots_of(many_waiters, {'maxTasksPerGroup': 2})
    sleeping = groups_by_label(snapshot)['asyncio.sleep(3600)']
    assert sleeping['count'] == 7 and len(sleeping['taskIds']) == 2, sleeping
    assert len(snapshot['tasks']) == 2 + 2 + 1, [task['name'] for task in snapshot['tasks']]
    assert snapshot['truncated'] == {'totalTasks': 11, 'sentTasks': 5}, snapshot['truncated']


def test_group_offset_and_limit_bring_the_next_tasks_of_one_group():
    first, rest, past_the_end, unknown = snapshots_of(
        many_waiters,
        {'maxTasksPerGroup': 3},
        {'group': 'awaiting:asyncio.sleep(3600)', 'offset': 3, 'limit': 3},
        {'group': 'awaiting:asyncio.sleep(3600)', 'offset': 6},
        {'group': 'awaiting:nothing like this'},
    )
    sent_first = groups_by_label(first)['asyncio.sleep(3600)']['taskIds']
    assert [group['id'] for group in rest['groups']] == ['awaiting:asyncio.sleep(3600)'], rest['groups']
    assert rest['groups'][0]['count'] == 7, rest['groups']
    assert rest['groups'][0]['taskIds'] == [task['id'] for task in rest['tasks']], rest
    assert [task['name'] for task in rest['tasks']] == ['sleeper-3', 'sleeper-4', 'sleeper-5'], rest['tasks']
    assert not set(sent_first) & set(rest['groups'][0]['taskIds']), 'a page repeated tasks of the first'
    assert rest['truncated'] == {'totalTasks': 7, 'sentTasks': 3}, rest.get('truncated')
    assert [task['name'] for task in past_the_end['tasks']] == ['sleeper-6'], past_the_end['tasks']
    assert (unknown['groups'], unknown['tasks'], unknown.get('error')) == ([], [], None), unknown


def test_group_by_none_sends_a_flat_page_without_groups():
    whole, page = snapshots_of(many_waiters, {'groupBy': 'none'}, {'groupBy': 'none', 'offset': 2, 'limit': 4})
    assert 'groups' not in whole, whole.get('groups')
    assert len(whole['tasks']) == 11 and 'truncated' not in whole, len(whole['tasks'])
    assert page['tasks'] == whole['tasks'][2:6], (page['tasks'], whole['tasks'])
    assert page['truncated'] == {'totalTasks': 11, 'sentTasks': 4}, page.get('truncated')


def test_group_by_type_and_max_groups():
    by_type, few_groups = snapshots_of(many_waiters, {'groupBy': 'type'}, {'maxGroups': 1})
    assert [(group['id'], group['label'], group['kind'], group['count']) for group in by_type['groups']] == [
        ('type:Task', 'Task', 'type', 11)
    ], by_type['groups']
    assert [group['label'] for group in few_groups['groups']] == ['asyncio.sleep(3600)'], few_groups['groups']
    assert few_groups['truncated'] == {'totalTasks': 11, 'sentTasks': 7}, few_groups.get('truncated')


def test_max_stack_frames_cuts_stacks_and_zero_sends_none():
    one_frame, no_frames = snapshots_of(many_waiters, {'maxStackFrames': 1}, {'maxStackFrames': 0})
    [main] = [task for task in one_frame['tasks'] if task['state'] == 'running']
    assert len(main['stack']) == 1 and main['stack'][0]['functionName'] == MAIN, main['stack']
    assert all('stack' not in task for task in no_frames['tasks']), no_frames['tasks']
    # Grouping does not depend on the stacks sent.
    assert [group['label'] for group in no_frames['groups']] == [group['label'] for group in one_frame['groups']]


def test_accepts_every_option_of_the_request_vocabulary_and_names_unknown_or_bad_ones():
    request = {
        'groupBy': 'default',
        'maxTasksPerGroup': 50,
        'maxGroups': 500,
        'group': None,
        'offset': 0,
        'limit': None,
        'includeInternals': False,
        'minAgeMs': 10,
        'maxStackFrames': 12,
        'includeHandles': True,
    }
    assert sorted(request) == sorted(async_toolkit_probe.DEFAULT_OPTIONS)
    good, bad = snapshots_of(
        many_waiters, request, {'colour': 'red', 'maxTasks': 3, 'groupBy': 'site', 'limit': -1, 'includeInternals': 1}
    )
    assert 'error' not in good, good.get('error')
    # Python tasks have no age, and tasks of unknown age are kept; Python has no handles to send.
    assert len(good['tasks']) == 11 and 'handles' not in good, good
    error = bad['error']
    for expected in (
        "unknown option 'colour'",
        "unknown option 'maxTasks'",
        "option groupBy must be 'default', 'type', 'none', not 'site'",
        'option limit must be a non-negative integer, not -1',
        'option includeInternals must be true or false, not 1',
    ):
        assert expected in error, (expected, error)
    assert len(bad['tasks']) == 11, 'the snapshot is still taken'


# -- parents -----------------------------------------------------------------------------------


@NEEDS_TASK_GROUP
def test_task_group_children_hang_under_a_task_group_node():
    def build(tasks):
        async def owner():
            async with asyncio.TaskGroup() as group:
                group.create_task(sleeper(3600), name='child-1')
                group.create_task(sleeper(3600), name='child-2')

        tasks.append(asyncio.create_task(owner(), name='owner'))

    [snapshot] = snapshots_of(build, {})
    owner = named(snapshot, 'owner')
    groups = [task for task in snapshot['tasks'] if task['type'] == 'TaskGroup']
    assert len(groups) == 1, groups
    assert groups[0]['parentId'] == owner['id'], (groups[0], owner['id'])
    for name in ('child-1', 'child-2'):
        child = named(snapshot, name)
        assert (child['parentId'], child['details']['parentLink']) == (groups[0]['id'], 'TaskGroup'), child


def test_gather_wait_and_shield_children_hang_under_the_task_awaiting_them():
    def build(tasks):
        async def gatherer():
            await asyncio.gather(sleeper(3600), sleeper(3601))

        async def waiter():
            await asyncio.wait([asyncio.ensure_future(sleeper(3602))])

        async def shielder(inner):
            await asyncio.shield(inner)

        inner = asyncio.ensure_future(sleeper(3603))
        tasks.extend(
            [
                inner,
                asyncio.create_task(gatherer(), name='gatherer'),
                asyncio.create_task(waiter(), name='waiter'),
                asyncio.create_task(shielder(inner), name='shielder'),
            ]
        )

    [snapshot] = snapshots_of(build, {'includeInternals': True})
    by_awaiting = {task.get('awaiting'): task for task in snapshot['tasks']}
    for awaiting, parent, link in (
        ('asyncio.sleep(3600)', 'gatherer', 'gather'),
        ('asyncio.sleep(3601)', 'gatherer', 'gather'),
        ('asyncio.sleep(3602)', 'waiter', 'future'),
        ('asyncio.sleep(3603)', 'shielder', 'future'),
    ):
        child = by_awaiting[awaiting]
        assert child['parentId'] == named(snapshot, parent)['id'], (awaiting, child)
        assert child['details']['parentLink'] == link, (awaiting, child['details'])


async def await_forgotten_future():
    await asyncio.get_running_loop().create_future()


async def await_kept_future(kept):
    future = asyncio.get_running_loop().create_future()
    kept.append(future)
    await future


async def never_awaited_helper():
    pass


def test_findings_prove_an_orphan_future_and_a_coroutine_never_awaited_from_reference_counts():
    # Reference counts are the proof: this runs on every version, 3.14 in Pyodide included, whose
    # interpreter counts some references differently (the probe calibrates on a fresh object).
    kept, forgotten_coroutines = [], []

    def build(tasks):
        tasks.append(asyncio.create_task(await_forgotten_future(), name='forgotten'))
        tasks.append(asyncio.create_task(await_kept_future(kept), name='kept'))
        forgotten_coroutines.append(never_awaited_helper())

    try:
        (snapshot,) = snapshots_of(build, {})
    finally:
        forgotten_coroutines.pop().close()
    names = {task['id']: task.get('name') for task in snapshot['tasks']}
    found = sorted((finding['kind'], finding['severity'], [names.get(id) for id in finding['taskIds']]) for finding in snapshot['findings'])
    assert found == [('orphan', 'error', ['forgotten']), ('orphan', 'warning', [])], 'findings: %r' % (snapshot['findings'],)
    never = next(finding for finding in snapshot['findings'] if finding['severity'] == 'warning')
    assert never['message'] == '1 never_awaited_helper() coroutine created and never awaited: no task runs it', never['message']


def test_tasks_of_another_event_loop_are_listed_from_inside_a_running_loop():
    other = asyncio.new_event_loop()
    try:

        def build(tasks):
            tasks.append(other.create_task(sleeper(3600), name='on-the-other-loop'))

        [snapshot] = snapshots_of(build, {})
        task = named(snapshot, 'on-the-other-loop')
        assert task['state'] == 'pending', task
        assert len({task.get('details', {}).get('loop') for task in snapshot['tasks']}) == 2, snapshot['tasks']
    finally:
        # The cancelled task finishes on its own loop.
        other.run_until_complete(asyncio.sleep(0))
        other.close()


# -- a quiet guest -----------------------------------------------------------------------------


def test_prints_nothing_and_leaves_the_tracer_alone():
    """A debugger that owns sys.settrace (pydevd replaces it with a function that prints a warning)
    must never see the probe call it; nothing may reach stdout or stderr."""
    calls = []
    original_settrace = sys.settrace
    captured_out, captured_err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    original_settrace(lambda frame, event, argument: None)  # a tracer is on, as under a debugger
    sys.settrace = lambda function: calls.append(function)
    sys.stdout, sys.stderr = captured_out, captured_err
    try:
        snapshots_of(many_waiters, {}, {'groupBy': 'none'})
        async_toolkit_probe.snapshot_json_parts()
    finally:
        sys.settrace = original_settrace
        original_settrace(None)
        sys.stdout, sys.stderr = real_out, real_err
    assert calls == [], 'the probe called sys.settrace(%r)' % (calls,)
    assert (captured_out.getvalue(), captured_err.getvalue()) == ('', '')


@pytest.mark.parametrize('enabled', [True, False])
def test_leaves_the_garbage_collector_on_or_off_as_it_was(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        snapshots_of(many_waiters, {})
        assert gc.isenabled() is enabled, 'the collector was %s, the probe left it %s' % (enabled, gc.isenabled())
        async_toolkit_probe.snapshot_json_parts()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def _probe_on_stack():
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == async_toolkit_probe.__file__:
            return True
        frame = frame.f_back
    return False


def test_a_collection_never_runs_the_programs_finalizers_inside_the_probe():
    """The program's unreachable generators (a suspended `with asyncio.Runner()`, seen in the field,
    or any `finally`) are finalized by the collection that finds them. The probe's allocations must
    not start one: the garbage is made, the next collection is due within a few dozen allocations,
    and the probe (which allocates hundreds) runs first."""
    finalized = []

    class Cycle:
        pass

    def suspended(box):
        try:
            if sys.version_info >= (3, 11) and not PYODIDE:

                class RecordingRunner(asyncio.Runner):
                    def close(self):
                        finalized.append(('Runner.close', _probe_on_stack()))
                        super().close()

                with RecordingRunner():
                    yield
            else:
                yield
        finally:
            finalized.append(('finally', _probe_on_stack()))

    loop = asyncio.new_event_loop()
    pending = [loop.create_task(sleeper(3600), name='pending-%d' % n) for n in range(40)]
    threshold = gc.get_threshold()
    was = gc.isenabled()
    try:
        gc.collect()
        gc.disable()
        for _ in range(5):
            box = Cycle()
            box.generator = suspended(box)
            next(box.generator)
        del box
        gc.set_threshold(gc.get_count()[0] + 40, *threshold[1:])
        gc.enable()
        snapshot = async_toolkit_probe.snapshot()
        gc.set_threshold(*threshold)
        assert len(snapshot['tasks']) >= 40, snapshot
        assert finalized == [] or not any(inside for _, inside in finalized), finalized
        gc.collect()
        # The garbage was real: the program's own collection finalized every generator.
        assert sorted({what for what, _ in finalized}) == sorted(
            {'finally', 'Runner.close'} if sys.version_info >= (3, 11) and not PYODIDE else {'finally'}
        ), finalized
        assert len([what for what, _ in finalized if what == 'finally']) == 5, finalized
    finally:
        gc.set_threshold(*threshold)
        (gc.enable if was else gc.disable)()
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
