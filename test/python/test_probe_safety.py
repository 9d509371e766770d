"""The probe changes nothing: busy programs give the same results with a thread snapshotting them
every few milliseconds, finished tasks are still garbage-collected, and the interpreter survives."""

import json

import pytest
from conftest import needs_trio


@pytest.mark.parametrize('fixture', ['busy_asyncio.py', pytest.param('busy_trio.py', marks=needs_trio)])
def test_snapshots_every_few_milliseconds_change_no_result(run_fixture, fixture):
    alone, _ = run_fixture(fixture)
    hammered, stats = run_fixture(fixture, hammer=True)
    assert json.loads(hammered) == json.loads(alone)
    assert json.loads(alone)['aliveAfterGc'] == 0
    # The hammer really ran and really saw the program's tasks; otherwise this proves nothing.
    assert stats['snapshots'] >= 50, stats
    assert stats['withTasks'] >= 25, stats
    assert stats['maxTasks'] >= 10, stats
    assert stats['errors'] == []
    # The probe's allocations started no collection (whose finalizers would have run in the probe's
    # thread), and every call put the collector back on.
    assert stats['collectionsInProbe'] == 0, stats
    assert stats['collectorLeftOff'] == 0, stats
