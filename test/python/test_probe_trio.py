"""The probe on real trio programs: the seed's nursery example and a stop in a worker thread."""

import re

import pytest
from conftest import lines_in, marker_line, needs_trio, one

pytestmark = needs_trio
SEED = 'trio_nursery.py'
WORKER = 'trio_worker_thread.py'


@pytest.fixture(scope='module')
def seed_snapshots(tmp_path_factory):
    import json

    from conftest import FIXTURES, _environment, run_program

    out = tmp_path_factory.mktemp('seed') / 'snapshot.json'
    env = _environment(
        {
            'PYTHONBREAKPOINT': 'probe_breakpoint_hook.stop',
            'ASYNC_TOOLKIT_SNAPSHOT_OUT': str(out),
            # trio's own tasks too: the test of the root walks up to <init>.
            'ASYNC_TOOLKIT_PROBE_OPTIONS': json.dumps({'includeInternals': True}),
        }
    )
    stdout = run_program([str(FIXTURES / SEED)], env)
    assert 'parent: all done!' in stdout  # the program finished as the seed's example does
    return json.loads(out.read_text(encoding='utf-8'))


@pytest.fixture(params=['stoppedThread', 'otherThread'])
def seed(request, seed_snapshots):
    return seed_snapshots[request.param]


def test_reports_the_trio_runtime_without_error(seed):
    assert seed['runtime'] == 'trio'
    assert 'error' not in seed


def test_tree_runs_parent_then_nursery_then_both_children(seed):
    parent = one(seed, '__main__.parent')
    assert parent['state'] == 'running'
    assert ('parent', marker_line(SEED, 'breakpoint')) in lines_in(parent, SEED)
    nurseries = [task for task in seed['tasks'] if task['type'] == 'Nursery' and task['parentId'] == parent['id']]
    assert len(nurseries) == 1
    nursery = nurseries[0]
    assert nursery['details']['children'] == 2
    assert nursery['details']['scope'] == 'async with body running'
    assert 'awaiting' not in nursery  # scopes are grouped by type, not with the tasks' waits
    for name, marker in (('child1', 'child1-sleep'), ('child2', 'child2-sleep')):
        child = one(seed, '__main__.' + name)
        assert child['parentId'] == nursery['id']
        assert child['state'] == 'pending'
        assert child['awaiting'] == 'trio.sleep(1)'
        assert re.fullmatch(r'in [01]\.\d s', child['details']['deadline']), child['details']
        assert lines_in(child, SEED) == [(name, marker_line(SEED, marker))]


def test_the_root_task_is_internal_and_reaches_the_parent(seed):
    tasks = {task['id']: task for task in seed['tasks']}
    roots = [task for task in seed['tasks'] if task['parentId'] is None]
    assert [root['name'] for root in roots] == ['<init>']
    assert roots[0]['internal'] is True
    # Walk up from a child: child -> nursery -> parent -> (system nursery -> ... -> <init>).
    current = one(seed, '__main__.child1')
    chain = []
    while current['parentId'] is not None:
        current = tasks[current['parentId']]
        chain.append(current['name'])
    assert chain[:2] == ['nursery', '__main__.parent']
    assert chain[-1] == '<init>'
    assert not one(seed, '__main__.parent').get('internal')
    assert not one(seed, '__main__.child1').get('internal')


def test_a_stop_in_a_worker_thread_still_sees_the_trio_tree(stop_at_breakpoint):
    snapshots = stop_at_breakpoint(WORKER)
    for snapshot in snapshots.values():
        assert snapshot['runtime'] == 'trio'
        assert 'error' not in snapshot, snapshot.get('error')
        main = one(snapshot, '__main__.main')
        assert main['awaiting'] == 'nursery: waiting for 3 child task(s)'
        ticker = one(snapshot, '__main__.ticker')
        assert ticker['awaiting'] == 'trio.sleep(3600)'
        assert lines_in(ticker, WORKER) == [('ticker', marker_line(WORKER, 'ticker-sleep'))]
        receiver = one(snapshot, '__main__.receiver')
        assert receiver['awaiting'] == 'MemoryReceiveChannel.receive()'
        assert lines_in(receiver, WORKER) == [('receiver', marker_line(WORKER, 'receiver'))]
        offload = one(snapshot, '__main__.offload')
        assert offload['awaiting'] == 'trio.to_thread.run_sync() — running in a worker thread'
        assert lines_in(offload, WORKER) == [('offload', marker_line(WORKER, 'offload'))]
        nursery = next(task for task in snapshot['tasks'] if task['type'] == 'Nursery' and task['parentId'] == main['id'])
        for child in (ticker, receiver, offload):
            assert child['parentId'] == nursery['id']


def test_awaiting_names_the_class_the_program_used(stop_at_breakpoint):
    import runpy

    from conftest import FIXTURES

    expected = runpy.run_path(str(FIXTURES / 'trio_vocabulary.py'), run_name='vocabulary')['EXPECTED']
    snapshots = stop_at_breakpoint('trio_vocabulary.py')
    for where, snapshot in snapshots.items():
        seen = {name: one(snapshot, name).get('awaiting') for name in expected}
        assert seen == expected, where


def test_a_trio_program_that_ran_asyncio_before_is_read_as_trio(stop_at_breakpoint):
    """Finished asyncio tasks the program still references do not make the probe pick asyncio."""
    for where, snapshot in stop_at_breakpoint('trio_after_asyncio.py').items():
        assert snapshot['runtime'] == 'trio', where
        assert 'error' not in snapshot, (where, snapshot.get('error'))
        assert one(snapshot, 'child')['awaiting'] == 'trio.sleep(3600)', where


def test_a_trio_servers_connections_group_by_the_servers_address():
    """The demo's echo server: three connections, one group labelled with the server's own address
    (each task's text keeps its peer); its three clients, one group with the server as their peer."""
    import json
    import re

    from conftest import ROOT, _environment, run_program

    env = _environment({'ASYNC_TOOLKIT_PROBE': str(ROOT / 'python' / 'async_toolkit_probe.py')})
    helper = ROOT / 'test' / 'fixtures' / 'findings' / 'snapshot_after.py'
    snapshot = json.loads(run_program([str(helper), str(ROOT / 'demo' / 'python' / 'trio_echo.py'), '1.0'], env).splitlines()[-1])
    reads = {re.sub(r':\d+$', ':<port>', group['label']): group['count'] for group in snapshot['groups'] if 'receive_some' in group['label']}
    assert reads == {
        'SocketStream.receive_some() — socket read on 127.0.0.1:<port>': 3,
        'SocketStream.receive_some() — socket read from 127.0.0.1:<port>': 3,
    }, reads
    served = [task for task in snapshot['tasks'] if task.get('name', '').endswith('_run_handler') and 'receive_some' in task.get('awaiting', '')]
    assert len(served) == 3 and len({task['awaiting'] for task in served}) == 3, 'each connection keeps its own peer in its text'
