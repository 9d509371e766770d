"""Async Toolkit probe: a snapshot of every asyncio or trio task of the process it runs in.

The Async Tasks view of the Async Toolkit VS Code extension evaluates this file once per debug session
(through debugpy's DAP ``evaluate``, into a private module) and then calls :func:`snapshot_json_parts`
each time the program stops. It can also be used directly::

    import async_toolkit_probe
    print(async_toolkit_probe.snapshot())

The result follows the snapshot format shared with the Node.js agent (``docs/snapshot-format.md``),
and ``snapshot()`` takes the same request options (``src/snapshot/request.ts``): tasks are grouped
here, in the program, by what they await, and only the first tasks of each group are sent.

Rules this file lives by, because it runs inside someone else's program, often while that program
is paused in the middle of an event-loop step:

* Standard library only, and nothing imported at all that the program has not imported already:
  asyncio and trio are found in ``sys.modules``, never imported here.
* Read-only. No task is created, awaited, resumed or cancelled; no event-loop method that schedules
  anything is called; no frame's ``f_locals`` is read (on CPython < 3.13 that caches the locals in
  the frame and keeps them alive). A coroutine's locals are read with ``gc.get_referents``, which
  copies nothing into the frame.
* Silent, and it leaves the interpreter as it found it: nothing is printed; the garbage collector is
  paused while the probe allocates (so that a collection set off by the probe never runs the
  program's finalizers on the probe's call) and put back exactly as it was; debugpy's tracing of
  the thread is switched off through debugpy's own API and back on (see ``_as_guest``).
* Other threads' live frames are never walked through ``f_back`` (that crashed CPython 3.11 when
  the thread was running); only suspended coroutine frames and this thread's own stack are read.
* The runtime's task sets may be mid-mutation when the program was stopped between two bytecodes:
  they are copied in one C-level operation and the copy is retried if it races.
* Never raises: whatever cannot be read becomes an ``error`` string on a partial snapshot.

Tested on CPython 3.9, 3.10, 3.11, 3.12 and 3.13, and on 3.14 in Pyodide (the ``python-versions``
test layer); the branches per version are named where they are taken.
"""

import gc
import os
import sys
import time

# The snapshot format's version: src/snapshot/format.ts SNAPSHOT_FORMAT_VERSION (a unit test holds
# the two equal).
FORMAT_VERSION = 2

# The request options snapshot() accepts, with their defaults: exactly the names and defaults of
# src/snapshot/request.ts (DEFAULT_SNAPSHOT_REQUEST; a unit test holds the two equal), so the view
# asks the Node agent and this probe in one vocabulary. Documented in docs/snapshot-format.md.
DEFAULT_OPTIONS = {
    # 'default' groups tasks by what they await, else by their coroutine function, else by type;
    # 'type' by type (Task, TaskGroup, Nursery); 'none' sends a flat page of tasks.
    'groupBy': 'default',
    # Tasks sent per group; the rest are counted, and fetched with group + offset.
    'maxTasksPerGroup': 50,
    # Groups sent, largest first; the rest are counted in "truncated".
    'maxGroups': 500,
    # Only this group (an id from an earlier snapshot): what expanding a group in the view fetches.
    'group': None,
    # The page of that group, or of the flat list with groupBy 'none'.
    'offset': 0,
    'limit': None,
    # Include the runtimes' own tasks (trio's <init> and system tasks, asyncio's helpers) and their
    # own frames in stacks. Without them, a task whose parent was left out becomes a root, and the
    # runtime's frames are summarised in "awaiting".
    'includeInternals': False,
    # Leave out tasks younger than this. Neither asyncio nor trio records when a task was created, so
    # Python tasks have no age and are always kept (the contract keeps tasks of unknown age).
    'minAgeMs': 0,
    # Frames per task's stack, innermost kept; 0 sends no stacks.
    'maxStackFrames': 12,
    # The "why is it still running" list of handles: accepted for the one vocabulary; this probe has
    # no such list to send.
    'includeHandles': True,
}
_GROUP_BY = ('default', 'type', 'none')
# Tasks sent with groupBy 'none' and no limit (the Node agent's DEFAULT_UNGROUPED_LIMIT).
_UNGROUPED_LIMIT = 1000
# Links of an await chain followed per task: far deeper than any real program nests awaits, and a
# bound on a cycle the program may have built.
_MAX_CHAIN = 400

# debugpy's adapter drops any message over 16 MiB (messaging.MAX_BODY_SIZE = 0xFFFFFF) and its
# session with it. Large snapshots therefore leave in parts; JSON-escaping inside the DAP message can
# double a part (every '"' becomes '\\"'), so a part stays well under half the limit.
PART_CHARS = 4000000

_OWN_FILE = sys._getframe().f_code.co_filename
_held_text = None  # the snapshot being fetched in parts, released with its last part
_DEBUGGER_MARKERS = ('pydevd', '_pydev_', os.sep + 'debugpy' + os.sep)
_COPY_ATTEMPTS = 200
_NOT_ASYNC = 'not an async program'
_NO_LOOP = 'no running loop'


# ---------------------------------------------------------------------------------------------
# Public entry points


def snapshot(**options):
    """Every task of the process's asyncio loops or trio runs, grouped and paged as the options ask,
    as a JSON-serialisable dict."""
    return _as_guest(_snapshot, options)


def _as_guest(function, *arguments):
    """Runs ``function`` with the garbage collector paused and debugpy's tracing of this thread off,
    then puts both back as they were. Nested calls find both off already and touch neither.

    The collector: the probe allocates thousands of containers; any allocation may start a
    collection in the thread that allocates, and a collection runs the finalizers of the program's
    unreachable objects there: a suspended generator's ``finally`` or ``with`` exit (an
    ``asyncio.Runner`` closing its loop was seen in the probe's thread), ``__del__`` methods, weakref
    callbacks. With the collector paused they run where the program's own allocations collect them.
    Collections the program asks for explicitly still run. Under a debugger every thread is paused
    meanwhile, so nothing else can turn the collector on or off between the two calls.

    The tracer: debugpy evaluates expressions from inside its own trace callback, where CPython calls
    no tracer, so the probe is never traced there. Yet while a tracer is merely set, code that it never
    calls still runs slower: at 10 000 tasks under debugpy 1.6.6, by 8 % on 3.9, 15 % on 3.10, 55 % on
    3.11, 25 % on 3.12 and not measurably on 3.13 (BENCHMARKS.md). debugpy's
    public ``trace_this_thread(False)`` takes its tracer off this thread through pydevd's own path and
    ``trace_this_thread(True)`` puts pydevd's back, silently; calling ``sys.settrace`` instead made
    pydevd print a "PYDEV DEBUGGER WARNING" block into the program's stderr. Only a tracer of pydevd's
    is switched: any other (coverage, a profiler) is the program's business. debugpy 1.8 on 3.12+
    traces with ``sys.monitoring`` and sets no such tracer, so nothing is switched there.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    switch = _debugpy_tracing_switch()
    try:
        if switch is not None:
            switch(False)
    except Exception:
        switch = None
    try:
        return function(*arguments)
    finally:
        try:
            if switch is not None:
                switch(True)
        except Exception:
            pass
        if enabled:
            gc.enable()


def _debugpy_tracing_switch():
    """debugpy's ``trace_this_thread`` when pydevd traces this thread now, else None."""
    tracer = sys.gettrace()
    # pydevd's per-thread tracers are objects of its own classes (ThreadTracer, or SafeCallWrapper
    # with its compiled speed-ups); the type is read, never the object, which could be the program's.
    if tracer is None or not str(getattr(type(tracer), '__module__', '')).startswith('_pydevd_bundle'):
        return None
    switch = getattr(sys.modules.get('debugpy'), 'trace_this_thread', None)
    return switch if callable(switch) else None


# Where a runtime's loop runs (a frame of it on a thread's stack marks that thread as the loop's), and
# where it waits for I/O (a consistent state, not the middle of a step).
_LOOP_ENTRIES = {'trio': ('unrolled_run',), 'asyncio': ('run_forever', '_run_once')}
_IO_WAITS = ('get_events', 'select', 'poll', '_wait_for_events')


def _stopped_inside_runtime(runtime):
    """Whether a loop thread of the runtime is stopped inside the runtime's own code, between two steps
    of one of its operations: a task half spawned (its coroutine made, no task holding it yet), a
    channel handing a value over. Ownership and never-awaited checks read such a moment as an orphan
    that is not one, so they wait for a stop in the program's code. The calling thread is read from the
    first frame outside the probe and the debugger (a breakpoint's evaluate runs on top of the
    program); other threads from their innermost frame (held where they were). A loop waiting for I/O
    is between steps."""
    package = os.sep + runtime + os.sep
    entries = _LOOP_ENTRIES.get(runtime, ())
    current = _current_thread_id()
    try:
        frames = sys._current_frames()
    except Exception:
        return False
    for thread, innermost in frames.items():
        frame = innermost
        if thread == current:
            while frame is not None and (
                frame.f_code.co_filename == _OWN_FILE
                or 'pydevd' in frame.f_code.co_filename
                or (os.sep + 'debugpy' + os.sep) in frame.f_code.co_filename
                or frame.f_code.co_filename.startswith('<')
            ):
                frame = frame.f_back
        if frame is None or frame.f_code.co_name in _IO_WAITS:
            continue
        # Out of the standard library the runtime called into (random.shuffle of trio's run queue, a
        # heapq of asyncio's timers): whose step is it?
        while frame is not None and package not in frame.f_code.co_filename and (
            frame.f_code.co_filename.startswith(_STANDARD_LIBRARY) or frame.f_code.co_filename.startswith('<')
        ):
            frame = frame.f_back
        if frame is None or package not in frame.f_code.co_filename:
            continue
        outer = frame
        while outer is not None:
            if outer.f_code.co_name in entries and package in outer.f_code.co_filename:
                return True
            outer = outer.f_back
    return False


def _snapshot(options):
    result = {
        'version': FORMAT_VERSION,
        'runtime': 'asyncio',
        'pid': os.getpid(),
        'takenAt': time.time() * 1000.0,
        'tasks': [],
    }
    problems = []
    try:
        settings = _read_options(options, problems)
        runtime, source = _choose_runtime()
        if runtime is None:
            problems.insert(0, source)
        else:
            result['runtime'] = runtime
            collector = _AsyncioCollector(source, settings) if runtime == 'asyncio' else _TrioCollector(source, settings)
            tasks = collector.collect()
            if not tasks and runtime == 'asyncio':
                # A loop that runs but has no task left (the program is in a plain callback), while a
                # trio run in another thread has tasks: show those rather than nothing.
                runners = _TrioCollector.find_runners() if _imported('trio') and _imported('trio._core._run') else []
                if runners:
                    result['runtime'] = runtime = 'trio'
                    collector = _TrioCollector(runners, settings)
                    tasks = collector.collect()
            if settings['group'] is None:  # expanding a group fetches tasks, not findings
                mid_step = _stopped_inside_runtime(runtime)
                if mid_step:
                    collector.notes.append(
                        'orphan and never-awaited checks skipped: the program is stopped inside %s\'s own '
                        'code, in the middle of one of its steps (stop in the program\'s code to check)' % runtime
                    )
                result['findings'] = collector.findings(tasks, mid_step)
            problems.extend(collector.problems)
            shown = tasks if settings['includeInternals'] else _without_internals(tasks)
            if not shown and settings['group'] is None:
                # Never an empty list without a word: say what was looked at.
                hidden = len(tasks) - len(shown)
                collector.notes.append(
                    'no %s task of the program is pending right now%s'
                    % (runtime, ' (%d of the runtime\'s or libraries\' own are, hidden by the internals filter)' % hidden if hidden else '')
                )
            library_only = 0 if settings['includeInternals'] else sum(1 for task in tasks if task.get('_libraryOnly'))
            if library_only and settings['group'] is None:
                collector.notes.append(
                    '%d unnamed %s running only a library\'s code (a server\'s idle connections, or '
                    'create_task() straight on a library call) %s hidden: Show Runtime Internals lists %s'
                    % (library_only, 'task' if library_only == 1 else 'tasks', 'is' if library_only == 1 else 'are',
                       'it' if library_only == 1 else 'them')
                )
            if collector.notes:
                result['notes'] = collector.notes
            _send_page(result, shown, settings)
    except Exception as error:  # the probe never raises into the program or the debugger
        problems.append('probe failed: %s' % _describe_exception(error))
    finally:
        _slots_seen.clear()
        _connection_slots.clear()
    if problems:
        result['error'] = '; '.join(problems)
    return result


def snapshot_json(**options):
    """:func:`snapshot` as compact JSON text: what the extension reads back through ``evaluate``."""
    return _as_guest(_snapshot_json, options)


def _snapshot_json(options):
    import json  # already loaded in any process debugpy runs; deferred so a plain import stays minimal

    try:
        # ASCII-only: a debugger that repr()-quotes the result then escapes nothing but \\ and '.
        # No circular check: the snapshot is a tree of fresh dicts and lists (stacks may be shared, not cyclic).
        return json.dumps(_snapshot(options), separators=(',', ':'), default=str, check_circular=False)
    except Exception as error:
        fallback = {'version': FORMAT_VERSION, 'runtime': 'asyncio', 'pid': os.getpid(), 'takenAt': time.time() * 1000.0}
        fallback['tasks'] = []
        fallback['error'] = 'probe failed: %s' % _describe_exception(error)
        return json.dumps(fallback)


def snapshot_json_parts(**options):
    """:func:`snapshot_json` for a debugger that limits message sizes: ``"@<total chars>\\n<first part>"``.

    Every answer starts with "@": whatever a debugger does to the text (debugpy without rawString
    repr()-quotes it), the reader can tell the probe's text from quoting around it.

    When the text is longer than one part, the rest is held here and read with
    :func:`snapshot_json_part` (1, 2, ...); the last part releases it.
    """
    return _as_guest(_snapshot_json_parts, options)


def _snapshot_json_parts(options):
    global _held_text
    text = _snapshot_json(options)
    _held_text = text if len(text) > PART_CHARS else None
    return '@%d\n%s' % (len(text), text[:PART_CHARS])


def snapshot_json_part(index):
    """Part ``index`` (1-based after the first) of the text :func:`snapshot_json_parts` holds."""
    global _held_text
    text = _held_text or ''
    part = text[index * PART_CHARS : (index + 1) * PART_CHARS]
    if (index + 1) * PART_CHARS >= len(text):
        _held_text = None
    return '@' + part


# ---------------------------------------------------------------------------------------------
# Options and runtime choice


def _read_options(options, problems):
    """The request's settings; each unknown option or bad value is named in ``problems`` and its
    default used, so that the snapshot is still taken. The same checks as parseSnapshotRequest."""
    settings = dict(DEFAULT_OPTIONS)
    for key, value in options.items():
        if key not in DEFAULT_OPTIONS:
            problems.append('unknown option %r (known: %s)' % (key, ', '.join(DEFAULT_OPTIONS)))
        elif key == 'groupBy':
            if value in _GROUP_BY:
                settings[key] = value
            else:
                problems.append('option groupBy must be %s, not %r' % (', '.join("'%s'" % name for name in _GROUP_BY), value))
        elif key == 'group':
            if value is None or isinstance(value, str):
                settings[key] = value
            else:
                problems.append('option group must be a group id string, not %r' % (value,))
        elif key in ('includeInternals', 'includeHandles'):
            if isinstance(value, bool):
                settings[key] = value
            else:
                problems.append('option %s must be true or false, not %r' % (key, value))
        elif key == 'limit' and value is None:
            settings[key] = None
        elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            settings[key] = value
        else:
            problems.append('option %s must be a non-negative integer, not %r' % (key, value))
    return settings


def _imported(name):
    """A module the program has finished importing; None while its import is still running (a
    probe on another thread can see a half-initialised module in sys.modules)."""
    module = sys.modules.get(name)
    if module is None or getattr(getattr(module, '__spec__', None), '_initializing', False):
        return None
    return module


def _choose_runtime():
    """(runtime, what the collector starts from), or (None, a message saying why there is nothing).

    The runtime of the stopped thread first (a trio run in this thread, or a running asyncio loop),
    then whichever has tasks.
    """
    asyncio = _imported('asyncio')
    trio_runners = _TrioCollector.find_runners if _imported('trio') and _imported('trio._core._run') else None
    if trio_runners and _TrioCollector.own_runner():
        runners = trio_runners()
        if runners:
            return 'trio', runners
    if asyncio is not None:
        if _asyncio_running_loop(asyncio) is not None:
            return 'asyncio', asyncio
        if _AsyncioCollector(asyncio, DEFAULT_OPTIONS).has_tasks():
            return 'asyncio', asyncio
    if trio_runners:
        runners = trio_runners()
        if runners:
            return 'trio', runners
    if asyncio is not None and _event_loops_in_heap(asyncio):
        return None, (
            _NO_LOOP + ': an asyncio event loop exists but none is running and no task is pending '
            '(stopped before asyncio.run() started, or after it returned)'
        )
    return None, _NOT_ASYNC + ': no asyncio event loop or trio.run() exists in this process'


def _asyncio_running_loop(asyncio):
    get_running = getattr(asyncio.events, '_get_running_loop', None)
    return get_running() if get_running else None


def _event_loops_in_heap(asyncio):
    """Every asyncio event loop object alive in the process.

    A scan of the garbage collector's objects, so it runs only where nothing cheaper finds every loop
    (Python 3.14 keeps native tasks in per-thread lists that only ``asyncio.all_tasks(loop)`` reads,
    and it needs the loop). An instance of a class defined in Python refers to its class for the
    collector, so ``gc.get_referrers(*loop classes)`` finds the loops in one C-level pass, about a
    third of the time of testing every object (measured: 3 ms against 6-9 ms natively, 11 against
    37 ms in Pyodide, with 10 000 tasks). A loop class built in C (uvloop's) is not referred to by its
    instances: with one of those, every object is tested. Objects are tested by their type only:
    ``isinstance`` would read ``__class__`` from each, which a program's proxy object may compute with
    its own code.
    """
    root = getattr(asyncio.events, 'AbstractEventLoop', None)
    if root is None:
        return []
    classes = set()
    pending = [root]
    while pending:
        klass = pending.pop()
        if klass not in classes:
            classes.add(klass)
            pending.extend(type.__subclasses__(klass))
    if all(klass.__flags__ & _HEAP_TYPE for klass in classes):
        candidates = gc.get_referrers(*classes)
    else:
        candidates = gc.get_objects()
    return [candidate for candidate in candidates if type(candidate) in classes]


_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class created at run time (class statement), not built in C


def _without_internals(tasks):
    kept = [task for task in tasks if not task.get('internal')]
    ids = {task['id'] for task in kept}
    for task in kept:
        if task['parentId'] is not None and task['parentId'] not in ids:
            task['parentId'] = None
    return kept


# ---------------------------------------------------------------------------------------------
# Aggregation at the source: groups, and the page of tasks sent


def _group_place(task, group_by):
    """(id, label, kind) of the group a task belongs to: what it awaits, else its coroutine
    function, else its type. The id is the kind and the label, the same in every snapshot of the
    program, so that the view can fetch a group's next tasks and compare snapshots by group."""
    if group_by == 'default':
        # What a task awaits, without what differs per instance (a peer's ephemeral port, another
        # task's name, a pool's count): a loaded server's thousands of connections stay a handful
        # of groups, and each task's own text keeps the particulars.
        awaiting = task.get('_group') or task.get('awaiting')
        if awaiting:
            return 'awaiting:' + awaiting, awaiting, 'awaiting'
        coroutine = task.get('_coroutine')
        if coroutine:
            return 'coroutine:' + coroutine, coroutine + '()', 'coroutine'
    return 'type:' + task['type'], task['type'], 'type'


class _Group:
    __slots__ = ('id', 'label', 'kind', 'site', 'members', 'states')

    def __init__(self, place, first):
        self.id, self.label, self.kind = place
        self.site = first.get('site') if self.kind == 'coroutine' else None
        self.members = []
        self.states = {}

    def record(self, sent):
        group = {'id': self.id, 'label': self.label, 'kind': self.kind, 'count': len(self.members)}
        if self.site:
            group['site'] = self.site
        group['states'] = self.states
        group['taskIds'] = [task['id'] for task in sent]
        return group


def _send_page(result, tasks, settings):
    """Puts into ``result`` what the request asks for of ``tasks`` (every task that passed the
    filters, in the order they are listed): the groups with their counts and the first tasks of
    each, one group's next page, or a flat page; ``truncated`` whenever fewer tasks are sent than
    matched. Every task is counted, but only the tasks sent leave the program."""
    minimum_age = settings['minAgeMs']
    if minimum_age:
        tasks = [task for task in tasks if task.get('ageMs') is None or task['ageMs'] >= minimum_age]
    group_by = settings['groupBy']
    offset = settings['offset']
    if group_by == 'none':
        limit = settings['limit'] if settings['limit'] is not None else _UNGROUPED_LIMIT
        sent = tasks[offset : offset + limit]
        total = len(tasks)
    else:
        groups = {}
        for task in tasks:
            place = _group_place(task, group_by)
            group = groups.get(place[0])
            if group is None:
                group = groups[place[0]] = _Group(place, task)
            group.members.append(task)
            group.states[task['state']] = group.states.get(task['state'], 0) + 1
        if settings['group'] is not None:
            group = groups.get(settings['group'])
            limit = settings['limit'] if settings['limit'] is not None else settings['maxTasksPerGroup']
            sent = group.members[offset : offset + limit] if group else []
            result['groups'] = [group.record(sent)] if group else []
            total = len(group.members) if group else 0
        else:
            # Largest first, then by label: a program that did not change gives the same snapshot twice.
            ordered = sorted(groups.values(), key=lambda group: (-len(group.members), group.label))
            sent = []
            result['groups'] = []
            for group in ordered[: settings['maxGroups']]:
                first = group.members[: settings['maxTasksPerGroup']]
                sent.extend(first)
                result['groups'].append(group.record(first))
            total = len(tasks)
    for task in tasks:
        task.pop('_coroutine', None)
        task.pop('_group', None)
        task.pop('_libraryOnly', None)
    result['tasks'] = sent
    if len(sent) < total:
        result['truncated'] = {'totalTasks': total, 'sentTasks': len(sent)}


# ---------------------------------------------------------------------------------------------
# Reading shared structures and frames safely


def _copy_retrying(container):
    """list(container), retried while another thread changes it under us (RuntimeError on resize)."""
    for _ in range(_COPY_ATTEMPTS):
        try:
            return list(container)
        except RuntimeError:
            continue
    raise RuntimeError('a %s kept changing while being copied' % type(container).__name__)


def _describe_exception(error):
    text = str(error)
    return '%s: %s' % (type(error).__name__, text) if text else type(error).__name__


def _qualname(code):
    return getattr(code, 'co_qualname', None) or code.co_name


def _is_debugger_file(filename):
    return filename == _OWN_FILE or any(marker in filename for marker in _DEBUGGER_MARKERS)


# Where code that is neither the program's nor the runtime's lives: installed packages, and the
# standard library (its folder is os's; pyenv and venvs keep site-packages inside it, so the
# package markers are looked at first).
_PACKAGE_MARKERS = (os.sep + 'site-packages' + os.sep, os.sep + 'dist-packages' + os.sep)
_STANDARD_LIBRARY = os.path.dirname(os.__file__) + os.sep


class _Frames:
    """Turns frames into Locations and tells whose code each frame is: the program's own (no
    ``origin``), a library's (``'library'``: installed packages and the standard library), or the
    runtime's (``'runtime'``: asyncio, concurrent.futures, trio).

    What depends only on a frame's code object (path, qualified name, origin, module) is worked out
    once per code object: a snapshot of 100 000 tasks has a handful of distinct ones.
    """

    def __init__(self, runtime_dirs, settings):
        self.runtime_dirs = tuple(directory for directory in runtime_dirs if directory)
        self.max_depth = settings['maxStackFrames']
        # The runtime's own frames are internals: shown when internals are, else summarised in "awaiting".
        self.runtime_frames = settings['includeInternals']
        self._codes = {}  # id(code) -> (path, qualname, origin, module); codes outlive the snapshot
        self._stacks = {}  # ((id(code), line), ...) of a whole stack -> (its Locations, its outermost qualname)
        self._shapes = {}  # (id(code), ...) of an await chain -> chain_shape()
        self._origins = {}

    def code_info(self, code):
        info = self._codes.get(id(code))
        if info is None:
            filename = code.co_filename
            path = filename if filename.startswith('<') or os.path.isabs(filename) else os.path.abspath(filename)
            module = os.path.splitext(os.path.basename(filename))[0]
            info = (path, _qualname(code), self.origin(filename), module)
            self._codes[id(code)] = info
        return info

    def learn_qualnames(self, chain):
        """CPython < 3.11: code objects have no ``co_qualname``, but coroutine objects carry
        ``__qualname__`` ("Queue.get", not "get"): learn it from the chain before naming its frames."""
        if _CODE_HAS_QUALNAME:
            return
        for awaitable, frame in chain:
            key = id(frame.f_code)
            if key not in self._codes:
                path, _, origin, module = self.code_info(frame.f_code)
                qualname = getattr(awaitable, '__qualname__', None) or frame.f_code.co_name
                self._codes[key] = (path, qualname, origin, module)

    def path(self, filename):
        return filename if filename.startswith('<') or os.path.isabs(filename) else os.path.abspath(filename)

    def origin(self, filename):
        """None (the program's own code), 'library' or 'runtime'."""
        if filename in self._origins:
            return self._origins[filename]
        if self.runtime_dirs and filename.startswith(self.runtime_dirs):
            origin = 'runtime'
        elif any(marker in filename for marker in _PACKAGE_MARKERS) or filename.startswith(_STANDARD_LIBRARY):
            origin = 'library'
        elif filename.startswith('<frozen '):
            origin = 'library'
        else:
            origin = None
        self._origins[filename] = origin
        return origin

    def is_runtime(self, filename):
        return self.origin(filename) == 'runtime'

    def is_runtime_frame(self, frame):
        return self.code_info(frame.f_code)[2] == 'runtime'

    def is_own_frame(self, frame):
        return self.code_info(frame.f_code)[2] is None

    def location(self, frame):
        code = frame.f_code
        path, qualname, origin, _ = self.code_info(code)
        location = {'file': path, 'line': frame.f_lineno or code.co_firstlineno, 'functionName': qualname}
        if origin is not None:
            location['origin'] = origin
        return location

    def stack(self, frames_innermost_first):
        """(Locations of a stack, the qualified name of its outermost frame): the runtime's frames are
        dropped unless internals are asked for or nothing else is left; library frames stay, marked;
        at most ``maxStackFrames`` frames are kept, innermost first, always with the innermost frame
        of the program's own code (the line the view opens) and the library frame it called. The
        outermost frame of the whole stack is the task's coroutine, which tasks are grouped by when
        they await nothing nameable.

        Thousands of tasks are usually suspended at the same few lines: a stack is built once per
        sequence of (code, line) and the same list is reused for every task that has it (the JSON
        encoder writes it out for each; nothing mutates it).
        """
        key = tuple([(id(frame.f_code), frame.f_lineno) for frame in frames_innermost_first])
        built = self._stacks.get(key)
        if built is None:
            frames = frames_innermost_first
            if not self.runtime_frames:
                own = [frame for frame in frames if not self.is_runtime_frame(frame)]
                frames = own or frames
            outermost = self.code_info(frames[-1].f_code)[1] if frames else None
            if self.max_depth:
                first_own = next((index for index, frame in enumerate(frames) if self.is_own_frame(frame)), 0)
                if first_own >= self.max_depth:
                    frames = frames[first_own - 1 :]
            built = self._stacks[key] = ([self.location(frame) for frame in frames[: self.max_depth]], outermost)
        return built

    def chain_shape(self, chain):
        """(the index of the call that names the wait, whether any frame is the program's own) of an
        await chain: both depend only on its code objects, so they are worked out once per shape."""
        key = tuple([id(frame.f_code) for _, frame in chain])
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = (_call_index(chain, self), any(self.is_own_frame(frame) for _, frame in chain))
        return shape


def _package_dir(module):
    filename = getattr(module, '__file__', None)
    return os.path.dirname(filename) + os.sep if filename else None


async def _never_run():
    pass


_CODE_HAS_QUALNAME = hasattr(_never_run.__code__, 'co_qualname')  # 3.11+
_SAMPLE = _never_run()
_COROUTINE_TYPE = type(_SAMPLE)
_SAMPLE.close()  # closed, so it never warns "coroutine was never awaited"
del _SAMPLE


def _await_chain(awaitable):
    """Follow what a coroutine awaits, outermost first: [(coroutine-like, frame)], plus the innermost object.

    Coroutines (``cr_await``), generators (``gi_yieldfrom``) and async generators (``ag_await``) are
    followed by their attributes; objects that hide what they wait on (asyncio's C ``FutureIter``,
    ``async_generator_asend``) give it up through ``gc.get_referents``, which reads without copying.
    The innermost object is the Future (or other awaitable) the chain ends on, when there is one.
    """
    chain = []
    seen = set()
    current = awaitable
    innermost = None
    while current is not None and id(current) not in seen and len(chain) < _MAX_CHAIN:
        seen.add(id(current))
        frame = None
        following = None
        if type(current) is _COROUTINE_TYPE:  # the common case first: no attribute probing
            frame, following = current.cr_frame, current.cr_await
        elif hasattr(current, 'cr_await'):
            frame, following = current.cr_frame, current.cr_await
        elif hasattr(current, 'gi_yieldfrom'):
            frame, following = current.gi_frame, current.gi_yieldfrom
        elif hasattr(current, 'ag_await'):
            frame, following = current.ag_frame, current.ag_await
        else:
            # A wrapper: FutureIter -> its future; asend/athrow -> the async generator.
            unwrapped = None
            for referent in gc.get_referents(current):
                if hasattr(referent, 'ag_await') or hasattr(referent, 'cr_await') or hasattr(referent, '_asyncio_future_blocking'):
                    unwrapped = referent
                    break
            if unwrapped is None or hasattr(unwrapped, '_asyncio_future_blocking'):
                innermost = unwrapped if unwrapped is not None else current
                break
            current = unwrapped
            continue
        if frame is None:  # finished or not a frame-backed object
            break
        chain.append((current, frame))
        current = following
    return chain, innermost


def _coroutine_referents(coroutine):
    """The objects a suspended coroutine's frame holds (its locals and value stack), read-only."""
    referents = gc.get_referents(coroutine)
    # CPython < 3.11 keeps a coroutine's locals in a separate frame object.
    if sys.version_info < (3, 11):
        extra = []
        for referent in referents:
            if type(referent).__name__ == 'frame':
                extra.extend(gc.get_referents(referent))
        referents = referents + extra
    return referents


def _own_thread_frames(until_frame):
    """This thread's frames, innermost first, from the stopped program's frame out to ``until_frame``.

    Used for the one task that is running in the thread the probe is evaluated in (the task the
    debugger stopped): its coroutines are executing, so ``cr_await`` cannot see past the outermost.
    The probe's and the debugger's own frames are skipped.
    """
    frames = []
    frame = sys._getframe(1)
    reached = False
    while frame is not None:
        filename = frame.f_code.co_filename
        if not _is_debugger_file(filename) and not (not frames and filename == '<string>'):
            frames.append(frame)
        if frame is until_frame:
            reached = True
            break
        frame = frame.f_back
    return frames if reached else None


def _thread_names():
    threading = sys.modules.get('threading')
    active = getattr(threading, '_active', None) if threading else None
    if not active:
        return {}
    try:
        return {ident: thread.name for ident, thread in _copy_retrying(active.items())}
    except Exception:
        return {}


def _current_thread_id():
    thread_module = sys.modules.get('_thread')  # built in, and loaded by threading, which asyncio imports
    return thread_module.get_ident() if thread_module is not None else None


def _number(value):
    return str(value) if type(value) is int else '%g' % value


def _seconds(value):
    return '%.1f s' % value if value < 100 else '%d s' % round(value)


def _natural_key(name):
    """"Task-10" after "Task-9"."""
    head = name.rstrip('0123456789')
    tail = name[len(head) :]
    return (head, int(tail) if tail else -1, name)


# ---------------------------------------------------------------------------------------------
# Library calls: what a task waits on when a library sits between the program and the runtime
#
# The program called a library (aiohttp, httpx, websockets, anyio, ...), and the library waits on a
# runtime primitive the program never saw (an Event, a bare Future, asyncio.wait()). The task is
# described by the library call the program made (``AsyncClient.get()``), with what the library
# object knows (its peer, URL, pool or child process) read from plain instance attributes only:
# never through a property, ``__getattr__``, ``__repr__`` or ``__str__``, which would run code.

_MISSING = object()
# Attributes through which library objects reach their connection, searched breadth first.
_CONNECTION_ATTRIBUTES = (
    '_transport', 'transport', '_protocol', 'protocol', '_connection', 'connection', '_conn', '_network_stream',
    '_stream', 'stream', 'transport_stream', 'socket', '_sock', '_socket', 'writer', '_writer', 'reader', '_reader',
)
_CONNECTION_SEARCH = 16  # objects visited per task at most
_SERVER_ATTRIBUTES = ('_server', '_manager', 'ws_server')
_TRANSPORT_MODULES = ('asyncio.', 'uvloop')
_LINK_ATTRIBUTES = _CONNECTION_ATTRIBUTES + _SERVER_ATTRIBUTES
_WRITE_CALLS = ('drain', 'write', 'send', 'send_all', 'sendall', 'writelines', 'wait_writable', '_drain_helper')
_WORKER_THREAD_CALLS = ('run_sync_in_worker_thread', 'to_thread_run_sync')
_PIPE_NAMES = {0: 'stdin', 1: 'stdout', 2: 'stderr'}


def _call_index(chain, frames):
    """Which frame of an await chain (outermost first) names what the task waits on: the call the
    program's innermost frame of its own made (a library's or the runtime's), else the outermost
    frame when the task runs no code of the program's at all. ``__aenter__``/``__anext__`` (``async
    with lock``, ``async for``) and private helpers name less than what they await, so the next frame
    in is taken while there is one. None when the innermost frame is the program's own.

    In ``user -> Queue.get`` it is ``Queue.get``; in trio's ``_run_handler -> echo_server ->
    SocketStream.receive_some``, ``receive_some``; in ``user -> _RequestContextManager.__aenter__ ->
    ClientSession._request -> ClientResponse.start -> ...``, ``ClientResponse.start``."""
    index = 0
    for position, (_, frame) in enumerate(chain):
        if frames.is_own_frame(frame):
            index = position + 1
    if index >= len(chain):
        return None
    while index + 1 < len(chain) and _is_passthrough(chain[index][1]):
        index += 1
    return index


def _is_passthrough(frame):
    name = frame.f_code.co_name
    return name in ('__aenter__', '__anext__') or (name.startswith('_') and not name.startswith('__'))


def _plain_attribute(obj, name):
    """An instance attribute as stored (the instance's ``__dict__`` or a slot), or None: never a
    property, a descriptor of the library's or ``__getattr__``."""
    try:
        namespace = object.__getattribute__(obj, '__dict__')
    except Exception:
        namespace = None
    if type(namespace) is dict:
        value = namespace.get(name, _MISSING)
        if value is not _MISSING:
            return value
    slot = _slot_of(type(obj), name)
    if slot is None:
        return None
    try:
        return slot.__get__(obj, type(obj))
    except Exception:  # an empty slot
        return None


def _connection_links(obj):
    """{name: value} of the connection and server attributes ``obj`` has, as stored: its
    ``__dict__`` entries, and its slots (which slots a class has is looked up once per snapshot)."""
    try:
        namespace = object.__getattribute__(obj, '__dict__')
    except Exception:
        namespace = None
    links = {}
    if type(namespace) is dict:
        for name in _LINK_ATTRIBUTES:
            if name in namespace:
                links[name] = namespace[name]
    klass = type(obj)
    slots = _connection_slots.get(klass)
    if slots is None:
        slots = _connection_slots[klass] = [(name, slot) for name in _LINK_ATTRIBUTES for slot in (_slot_of(klass, name),) if slot is not None]
    for name, slot in slots:
        try:
            links[name] = slot.__get__(obj, klass)
        except Exception:  # an empty slot
            continue
    return links


_connection_slots = {}  # class -> its slots among _LINK_ATTRIBUTES, for one snapshot (cleared after it)


# (class, attribute name) -> its __slots__ descriptor or None, for one snapshot (cleared after it,
# so that no class of the program's is kept).
_slots_seen = {}


def _slot_of(klass, name):
    key = (klass, name)
    if key in _slots_seen:
        return _slots_seen[key]
    found = None
    try:
        for owner in klass.__mro__:
            descriptor = type.__getattribute__(owner, '__dict__').get(name, _MISSING)
            if descriptor is _MISSING:
                continue
            if type(descriptor).__name__ == 'member_descriptor':  # a __slots__ entry
                found = descriptor
            break
    except Exception:
        found = None
    _slots_seen[key] = found
    return found


def _module_path(filename):
    """``anyio.to_thread`` for .../dist-packages/anyio/to_thread.py: the importable path, private
    modules left out (``httpx._api`` reads ``httpx``)."""
    for marker in _PACKAGE_MARKERS:
        if marker in filename:
            relative = filename.split(marker, 1)[1]
            break
    else:
        relative = filename[len(_STANDARD_LIBRARY) :] if filename.startswith(_STANDARD_LIBRARY) else os.path.basename(filename)
    parts = os.path.splitext(relative)[0].split(os.sep)
    if parts and parts[-1] == '__init__':
        parts.pop()
    public = [part for part in parts if not part.startswith('_')]
    return '.'.join(public or parts[:1])


class _Endpoint:
    """The socket or pipe a library object reads or writes: found from the objects of the await
    chain through their connection attributes, read with ``transport.get_extra_info()`` (a dict
    read in asyncio and uvloop) or a socket's ``getpeername()``."""

    __slots__ = ('peer', 'local', 'server_side', 'pipe')

    def __init__(self):
        self.peer = self.local = self.pipe = None
        self.server_side = False

    @classmethod
    def find(cls, roots):
        seen = set()
        queue = [root for root in roots if root is not None]
        visited = 0
        server_side = False
        while queue and visited < _CONNECTION_SEARCH:
            candidate = queue.pop(0)
            if id(candidate) in seen:
                continue
            seen.add(id(candidate))
            visited += 1
            links = _connection_links(candidate)
            # A server's side of a connection: asyncio's transports name their server; uvloop's do not,
            # but the protocols of aiohttp (_manager) and websockets (ws_server) name theirs.
            server_side = server_side or any(links.get(name) is not None for name in _SERVER_ATTRIBUTES)
            endpoint = cls._read(candidate)
            if endpoint is not None:
                endpoint.server_side = endpoint.server_side or server_side
                return endpoint
            for name in _CONNECTION_ATTRIBUTES:
                value = links.get(name)
                if value is not None and type(value) not in (str, bytes, int, float, bool):
                    queue.append(value)
        return None

    @classmethod
    def _read(cls, candidate):
        klass = type(candidate)
        # Only the runtime's own transports are asked (their get_extra_info() reads a dict): a
        # transport class of the program's or a library's would run its code.
        if str(getattr(klass, '__module__', '')).startswith(_TRANSPORT_MODULES) and hasattr(klass, 'get_extra_info'):
            return cls._from_transport(candidate)
        if klass.__name__ == 'socket' and klass.__module__ in ('socket', '_socket'):
            endpoint = cls()
            try:
                endpoint.peer = _address(candidate.getpeername())
                endpoint.local = _address(candidate.getsockname())
            except Exception:
                return None
            return endpoint if endpoint.peer or endpoint.local else None
        return None

    @classmethod
    def _from_transport(cls, transport):
        endpoint = cls()
        try:
            pipe = transport.get_extra_info('pipe')
            if pipe is not None:
                endpoint.pipe = cls._pipe_of(transport)
                return endpoint
            endpoint.peer = _address(transport.get_extra_info('peername'))
            endpoint.local = _address(transport.get_extra_info('sockname'))
        except Exception:
            return None
        endpoint.server_side = _plain_attribute(transport, '_server') is not None
        return endpoint if endpoint.peer or endpoint.local else None

    @staticmethod
    def _pipe_of(transport):
        """(pid, 'stdout') for a pipe of an asyncio subprocess: the pipe transport's protocol knows
        the subprocess transport (``proc``, with ``_pid``) and the fd it serves; else (None, None)."""
        protocol = _plain_attribute(transport, '_protocol')
        process = _plain_attribute(protocol, 'proc') if protocol is not None else None
        pid = _plain_attribute(process, '_pid') if process is not None else None
        fd = _plain_attribute(protocol, 'fd') if protocol is not None else None
        return pid, _PIPE_NAMES.get(fd) if type(fd) is int else None

    def reading(self, direction_write):
        """(text, group label): the label keeps what is the same for every connection of a server
        (its own address), the text adds the peer."""
        if self.pipe:
            pid, stream = self.pipe
            verb = 'pipe to' if direction_write else 'pipe from'
            which = ' (%s)' % stream if stream else ''
            if pid is None:
                return verb.split()[0] + which, verb.split()[0] + which
            # The label leaves the pid out: every child's pipe of one call site is one group.
            return '%s child pid %s%s' % (verb, pid, which), '%s child%s' % (verb, which)
        verb = 'socket write to' if direction_write else 'socket read from'
        text = '%s %s' % (verb, self.peer) if self.peer else verb.rsplit(' ', 1)[0]
        if self.server_side and self.local:
            return text, '%s on %s' % (verb.rsplit(' ', 1)[0], self.local)
        return text, text


def _address(value):
    if isinstance(value, tuple) and len(value) >= 2:
        return '%s:%s' % (value[0], value[1])
    if isinstance(value, str) and value:
        return value
    return None


def _url_of(owner):
    """``GET http://127.0.0.1:8080/slow`` from an aiohttp ClientResponse or ClientRequest (a yarl
    URL keeps its parts in the tuple ``_val``), else None."""
    url = _plain_attribute(owner, '_url') or _plain_attribute(owner, 'url')
    parts = _plain_attribute(url, '_val') if url is not None else None
    if not isinstance(parts, tuple) or len(parts) < 3 or not all(isinstance(part, str) for part in parts[:3]):
        return None
    method = _plain_attribute(owner, 'method')
    text = '%s://%s%s' % parts[:3]
    return '%s %s' % (method, text) if isinstance(method, str) else text


def _url_argument(coroutine):
    """A URL the program passed to the library call, as a string argument (``client.get(url)``)."""
    for referent in _coroutine_referents(coroutine):
        if type(referent) is str and referent.startswith(('http://', 'https://', 'ws://', 'wss://')):
            return referent
    return None


def _describe_library_call(frames, chain, index, innermost, details):
    """(awaiting, group label) for a task whose innermost call of its own code went into a library:
    the call's name, then what the library waits for, from the most particular form that applies
    (a task group, a worker thread, a pool slot, a sleep, a connection)."""
    coroutine, frame = chain[index]
    qualname = frames.code_info(frame.f_code)[1]
    owner = _method_owner(coroutine, qualname) if '.' in qualname else None
    if owner is not None:
        name = '%s.%s()' % (type(owner).__name__, qualname.rsplit('.', 1)[1])
    else:
        name = '%s.%s()' % (_module_path(frame.f_code.co_filename), qualname)
    url = (_url_of(owner) if owner is not None else None) or _url_argument(coroutine)
    if url:
        details['url'] = url
    inner = chain[index:]
    return _library_wait_form(frames, name, qualname, owner, coroutine, inner) or _library_connection_wait(frames, name, qualname, inner, innermost)


def _library_wait_form(frames, name, qualname, owner, coroutine, inner):
    """(text, label) when the library call waits on something other than a connection, else None."""
    inner_names = [inner_frame.f_code.co_name for _, inner_frame in inner]
    if qualname.endswith('.__aexit__') and 'TaskGroup' in qualname:
        count = _library_task_group_size(owner)
        return 'TaskGroup: waiting for %s task(s)' % (count if count is not None else 'its'), 'TaskGroup: waiting for its tasks'
    if any(call in inner_names for call in _WORKER_THREAD_CALLS):
        text = name + ' — running in a worker thread'
        return text, text
    pool = _connection_pool(inner, frames)
    if pool is not None:
        in_use, limit = pool
        label = name + ' — waiting for a free connection'
        return '%s (pool %s of %s in use)' % (label, in_use, limit if limit is not None else '?'), label
    if inner_names[0] == 'sleep' and owner is None:  # anyio.sleep(5): the argument as written
        delay = next((value for value in _coroutine_referents(coroutine) if type(value) in (int, float)), None)
        return name[:-1] + ('%s)' % _number(delay) if delay is not None else ')'), None
    if any(inner_frame.f_code.co_name in ('sleep', 'sleep_until') and frames.is_runtime_frame(inner_frame) for _, inner_frame in inner):
        return name + ' — sleeping', None  # a timer, not the connection it belongs to (a keep-alive ping)
    return None


def _library_connection_wait(frames, name, qualname, inner, innermost):
    """(text, label) of a library call waiting on a connection, with its peer (or pipe) when the
    chain's objects lead to one; the call's name alone otherwise."""
    owners = [_method_owner(awaitable, frames.code_info(inner_frame.f_code)[1]) for awaitable, inner_frame in reversed(inner)]
    endpoint = _Endpoint.find(owners + [innermost])
    if endpoint is None:
        return name, name
    if qualname.endswith('RequestHandler.start'):  # aiohttp's server side of one connection
        waiting = 'waiting for the next request' if not hasattr(innermost, 'get_coro') else 'handling a request'
        text = '%s — %s%s' % (name, waiting, ' from ' + endpoint.peer if endpoint.peer else '')
        label = '%s — %s%s' % (name, waiting, ' on ' + endpoint.local if endpoint.local else '')
        return text, label
    text, label = endpoint.reading(_writing([inner_frame.f_code.co_name for _, inner_frame in inner]))
    return '%s — %s' % (name, text), '%s — %s' % (name, label)


def _writing(names):
    """Whether the innermost frame that names its I/O writes (``drain``, ``send_all``) rather than
    reads: outer frames name whole exchanges (httpx's ``send`` reads the response too)."""
    for name in reversed(names):
        if any(word in name for word in ('recv', 'read', 'receive')):
            return False
        if name in _WRITE_CALLS or any(word in name for word in ('send', 'write', 'drain')):
            return True
    return False


def _connection_pool(inner, frames):
    """(connections in use, limit) when the chain waits in a connection pool for a free connection
    (httpcore's ``AsyncConnectionPool``, aiohttp's connectors), else None."""
    awaitable, frame = inner[-1]
    if frame.f_code.co_name == 'connect':  # aiohttp: connect() itself awaits a waiter while the limit is reached
        connector = _method_owner(awaitable, frames.code_info(frame.f_code)[1])
        acquired = _plain_attribute(connector, '_acquired') if connector is not None else None
        if acquired is not None:
            return len(_copy_retrying(acquired)), _plain_attribute(connector, '_limit')
    for awaitable, frame in inner:
        qualname = frames.code_info(frame.f_code)[1]
        if frame.f_code.co_name != 'handle_async_request' or 'ConnectionPool' not in qualname:
            continue
        if not any(inner_frame.f_code.co_name in ('wait_for_connection', 'wait') for _, inner_frame in inner):
            return None
        pool = _method_owner(awaitable, qualname)
        connections = _plain_attribute(pool, '_pool') if pool is not None else None
        limit = _plain_attribute(pool, '_max_connections') if pool is not None else None
        if isinstance(connections, list):
            return len(connections), limit
        return None
    return None


def _library_task_group_size(group):
    """Tasks an anyio TaskGroup waits for: its cancel scope's tasks (asyncio backend) or its
    nursery's children (trio backend)."""
    if group is None:
        return None
    scope = _plain_attribute(group, 'cancel_scope')
    tasks = _plain_attribute(scope, '_tasks') if scope is not None else None
    if tasks is None:
        nursery = _plain_attribute(group, '_nursery')
        tasks = _plain_attribute(nursery, '_children') if nursery is not None else None
    if tasks is None:
        return None
    try:
        return len(_copy_retrying(tasks))
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# Findings: what only the runtime can prove
#
# The view finds await cycles (from parent links), waits past a limit and growing groups in any
# snapshot. Here the probe adds what it alone can see: who holds a trio Lock, and that nothing
# outside a task can reach the future it waits on. Each finding's id is stable while its tasks live.

# Objects examined per task, and in all, when asking what only a task can reach: enough for the
# chain of frames, locals and containers between a task and its future; a bound on programs whose
# tasks hold large private structures.
_OWNERSHIP_OBJECTS_PER_TASK = 64
_OWNERSHIP_OBJECTS_IN_ALL = 50000
# Tasks checked per snapshot: about 6 microseconds each on CPython 3.11 (BENCHMARKS.md).
_OWNERSHIP_TASKS = 5000
# Heap objects scanned for coroutines that no task runs (one C-level pass, filtered by type).
_HEAP_SCAN_LIMIT = 3000000


def _where(record):
    """"file.py:12" of a task's innermost frame of the program's own code, else of its innermost."""
    stack = record.get('stack') or []
    frame = next((frame for frame in stack if 'origin' not in frame), stack[0] if stack else None)
    if frame is None:
        return None, None
    return frame, '%s:%d' % (os.path.basename(frame['file']), frame['line'])


def _task_words(record):
    name = record.get('name')
    return '"%s"' % name if name else 'a task'


def _held_references(entry):
    """sys.getrefcount of ``entry[1]`` as the ownership check measures it (the entry and the call
    hold one reference each); calibrated with a fresh object, so no version's counting is assumed."""
    return sys.getrefcount(entry[1])


_PROBE_REFERENCES = _held_references([0, object()])
# The built-in module behind weakref, loaded at interpreter start-up; without it nothing is proven owned.
_WEAK_REFERENCE_COUNT = getattr(sys.modules.get('_weakref'), 'getweakrefcount', None)


class _Ownership:
    """The objects that only a task can reach: starting from the task, an object belongs to it when
    every reference to it comes from objects that already belong (its reference count says how many
    there are; ``gc.get_referents`` of the owned objects says how many of those are accounted for).

    What such an object is, nothing else in the process can touch: no callback, queue, timer handle,
    executor, transport, other task or thread holds it, in a structure the collector sees or one it
    does not (a running frame's locals, a C extension's field count in the reference count too).
    Nothing is called on any object: reference counts and ``tp_traverse`` only."""

    def __init__(self, root, budget):
        self.budget = budget
        self.owned = {id(root)}
        self.seen = {}  # id -> [references from owned objects, object]
        self.to_check = []  # ids whose count of references from owned objects just grew
        self._take(root)

    def _take(self, holder):
        for referent in gc.get_referents(holder):
            # Only objects the collector tracks can hold a future (one that holds a tracked object
            # is tracked itself): names, numbers and atom-only tuples or dicts are passed over.
            if not gc.is_tracked(referent):
                continue
            key = id(referent)
            entry = self.seen.get(key)
            if entry is None:
                self.seen[key] = [1, referent]
            else:
                entry[0] += 1
            self.to_check.append(key)

    def grow(self, wanted):
        """Adds objects while any can be proven owned; True once ``wanted`` (an id) is owned. An
        object is checked again only when a newly owned object refers to it."""
        while self.to_check and self.budget > 0 and wanted not in self.owned:
            key = self.to_check.pop()
            if key in self.owned:
                continue
            entry = self.seen[key]
            # A weak reference (a WeakSet or WeakValueDictionary of pending requests) can reach the
            # object without counting: an object anything refers to weakly is never owned.
            if _WEAK_REFERENCE_COUNT is None or _WEAK_REFERENCE_COUNT(entry[1]):
                continue
            if _held_references(entry) - _PROBE_REFERENCES == entry[0]:
                self.owned.add(key)
                self.budget -= 1
                self._take(entry[1])
        return wanted in self.owned

    def release(self):
        self.seen = {}


def _unowned_coroutines(owned_ids, coroutine_type):
    """Coroutines in the heap that never started and that no task owns: created, never awaited,
    never made a task. Found by one scan of the collector's objects (bounded by ``_HEAP_SCAN_LIMIT``),
    filtered by exact type at C level where ``operator`` and ``itertools`` are loaded already."""
    objects = gc.get_objects()
    if len(objects) > _HEAP_SCAN_LIMIT:
        return None
    operator = sys.modules.get('operator')
    itertools = sys.modules.get('itertools')
    if operator is not None and itertools is not None:
        found = list(itertools.compress(objects, map(operator.is_, itertools.repeat(coroutine_type), map(type, objects))))
    else:
        found = [candidate for candidate in objects if type(candidate) is coroutine_type]
    del objects
    return [coroutine for coroutine in found if id(coroutine) not in owned_ids and _not_started(coroutine)]


def _never_awaited_findings(coroutines, frames):
    """One finding per coroutine function whose coroutines were created and never run, held in a
    container or an object (a list of retries, an attribute) rather than by code that may still
    await them: a coroutine held by a frame or another coroutine's locals, or by something the
    collector does not see (a running frame's locals on 3.11+, where the stopped thread may be about
    to await it or pass it to ``create_task``), is not reported, nor one in a container such code
    holds. Python itself warns only once such a coroutine is collected."""
    by_function = {}
    for index in range(len(coroutines)):
        if _held_by_code(coroutines, index, 1):
            continue
        code = coroutines[index].cr_code
        key = (code.co_filename, code.co_firstlineno, _qualname(code))
        by_function.setdefault(key, []).append(index)
    findings = []
    for (filename, line, qualname), indexes in sorted(by_function.items()):
        site = _creation_origin(coroutines[indexes[0]], frames) or {'file': frames.path(filename), 'line': line, 'functionName': qualname}
        count = len(indexes)
        findings.append(
            {
                'id': 'orphan:never-awaited:%s:%d' % (frames.path(filename), line),
                'kind': 'orphan',
                'severity': 'warning',
                'message': '%s %s() coroutine%s created and never awaited: no task runs %s'
                % (count, qualname, '' if count == 1 else 's', 'it' if count == 1 else 'them'),
                'taskIds': [],
                'site': site,
            }
        )
    return findings


def _creation_origin(coroutine, frames):
    origin = getattr(coroutine, 'cr_origin', None)
    for filename, line, function in origin or ():
        if not frames.is_runtime(filename):
            return {'file': frames.path(filename), 'line': line, 'functionName': function}
    return None


_CODE_HOLDERS = ('frame', 'coroutine', 'generator', 'async_generator')


def _held_by_code(holder, index, depth):
    """True when ``holder[index]`` is held by code (a frame, a coroutine, a generator), or by
    something the collector does not see, or (``depth`` containers up) sits in a container that is.

    The reference count says how many references there are; the collector's referrers (the probe's
    own list and frames left out) account for the ones it sees; what is left over is held where only
    running code keeps things. The probe's own references are calibrated with a fresh object taken
    through the same call."""
    return _unaccounted_references(holder, index, depth) - _PROBE_HOLDS > 0


def _unaccounted_references(holder, index, depth):
    target = holder[index]
    referrers = gc.get_referrers(target)
    try:
        accounted = 0
        for position in range(len(referrers)):
            referrer = referrers[position]
            if referrer is holder or referrer is referrers:
                continue
            kind = type(referrer).__name__
            if kind == 'frame' and referrer.f_code.co_filename == _OWN_FILE:
                continue
            if kind in _CODE_HOLDERS:
                return 1 << 30
            accounted += _count_identical(gc.get_referents(referrer), target)
            referrer = None  # the check one level up counts this frame's references too
            if depth > 0 and kind in ('list', 'tuple', 'dict', 'set', 'deque') and _held_by_code(referrers, position, depth - 1):
                return 1 << 30
        return sys.getrefcount(target) - accounted
    finally:
        del referrers


def _count_identical(items, target):
    """How many of ``items`` are ``target`` itself (``list.count`` would call the items' ``__eq__``)."""
    count = 0
    for item in items:
        if item is target:
            count += 1
    return count


_PROBE_HOLDS = _unaccounted_references([object()], 0, 0)


def _lock_cycle_findings(waits, records_by_id, suffix='', task_wait='waits for its child'):
    """Loops in "who waits for whom" that go through at least one lock: ``waits`` maps a task id to
    [(the task id it waits for, what for)], where what is a lock's class (its holder is known) or
    ``None`` (a nursery's child). One finding per loop, starting at its smallest id (stable)."""
    findings = []
    for component in _strongly_connected(waits):
        members = set(component)
        if not any(what for source in component for target, what in waits.get(source, ()) if target in members):
            continue
        cycle = _cycle_through(min(component), waits, members)
        if not cycle:
            continue
        parts = []
        for position, task_id in enumerate(cycle):
            following = cycle[(position + 1) % len(cycle)]
            what = next((what for target, what in waits[task_id] if target == following), None)
            record = records_by_id.get(task_id, {})
            _, where = _where(record)
            who = _task_words(record) + (' (%s)' % where if where else '')
            whom = _task_words(records_by_id.get(following, {}))
            parts.append('%s waits for a %s %s holds' % (who, what, whom) if what else '%s %s %s' % (who, task_wait, whom))
        finding = {
            'id': 'lockCycle:' + '>'.join(cycle),
            'kind': 'lockCycle',
            'severity': 'error',
            'message': ', '.join(parts) + ': none can go on' + suffix,
            'taskIds': cycle,
        }
        site, _ = _where(records_by_id.get(cycle[0], {}))
        if site is not None:
            finding['site'] = {key: site[key] for key in ('file', 'line', 'functionName') if key in site}
        findings.append(finding)
    return findings


def _strongly_connected(edges):
    """Tarjan's strongly connected components of ``edges`` (id -> [(id, label)]), iteratively;
    only components of more than one node (a task cannot wait for itself here)."""
    index_of, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index_of:
            continue
        work = [(start, iter(edges.get(start, ())))]
        index_of[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            advanced = False
            for target, _ in targets:
                if target not in index_of:
                    index_of[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def _cycle_through(start, edges, members):
    """The shortest loop from ``start`` back to itself within ``members`` (breadth first)."""
    previous = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target, _ in edges.get(node, ()):
                if target not in members:
                    continue
                if target == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    return None


# ---------------------------------------------------------------------------------------------
# asyncio


# Runtime calls whose future a timer, the selector or a worker thread settles, by qualified name and
# asyncio module: the orphan check skips them (it would prove nothing, at a cost per task).
_SETTLED_BY_RUNTIME = {'sleep': ('tasks',), 'to_thread': ('threads',)}


def _never_awaited(coroutine_ids, frames, notes):
    """Findings for coroutines created and never awaited, for either runtime's collector; a note
    instead when the heap is too big to scan."""
    coroutines = _unowned_coroutines(coroutine_ids, _COROUTINE_TYPE)
    if coroutines is None:
        notes.append('never-awaited coroutines: not looked for, the heap holds over %d objects' % _HEAP_SCAN_LIMIT)
        return []
    return _never_awaited_findings(coroutines, frames)


def _orphan_future_finding(record):
    site, where = _where(record)
    awaiting = record.get('awaiting') or ''
    if not awaiting or awaiting.endswith('(pending)'):
        what = 'on a Future nothing else references: nothing can ever set it'
    else:
        what = 'at %s for something only it can reach: nothing else can ever wake it' % awaiting
    finding = {
        'id': 'orphan:wait:' + record['id'],
        'kind': 'orphan',
        'severity': 'error',
        'message': '%s%s waits %s, only a cancellation ends the wait' % (_task_words(record), ' (%s)' % where if where else '', what),
        'taskIds': [record['id']],
    }
    if site is not None:
        finding['site'] = {key: site[key] for key in ('file', 'line', 'functionName') if key in site}
    return finding


class _AsyncioCollector:
    """Tasks of every asyncio event loop in the process, whichever thread runs it."""

    def __init__(self, asyncio, settings):
        self.asyncio = asyncio
        self.settings = settings
        self.problems = []
        self.notes = []
        futures_base = sys.modules.get('concurrent.futures._base')
        self.concurrent_future = getattr(futures_base, 'Future', None)
        self.task_group_type = getattr(asyncio, 'TaskGroup', None)
        self.gathering_future_type = getattr(asyncio.tasks, '_GatheringFuture', None)
        self.frames = _Frames([_package_dir(asyncio), _package_dir(sys.modules.get('concurrent'))], settings)
        self._loop_now = {}
        futures_module = getattr(asyncio, 'futures', None)
        # Futures whose done() is asyncio's own (C or Python): calling it runs no code of a program's
        # subclass. Pyodide's loop uses such a subclass, PyodideFuture.
        self.future_done_methods = tuple(
            getattr(klass, 'done', None)
            for klass in (getattr(asyncio, 'Future', None), getattr(futures_module, '_PyFuture', None))
            if klass is not None
        )
        self._pending = []  # the live tasks of this snapshot, for findings(); released there
        self._settled_by_runtime = set()  # ids of tasks whose wait a timer, I/O or a worker thread ends
        self._primitive_of = {}  # task id -> id() of the queue, lock or event whose method it awaits
        self._coroutine_ids = set()  # every task's coroutine: owned, whether started or not
        self._lock_waits = {}  # task id -> id() of the asyncio Lock it waits to acquire

    # -- finding the tasks --------------------------------------------------------------------

    def _registries(self):
        """The tasks the registries of this Python version hold, without asking a loop.

        3.9-3.11: ``asyncio.tasks._all_tasks``, a WeakSet of every task of every loop.
        3.12-3.13: ``_scheduled_tasks`` (that WeakSet, renamed) plus ``_eager_tasks`` (a set of
        tasks running their first step eagerly, which move to the WeakSet when they suspend).
        3.14+: native tasks live in per-thread linked lists instead; these two only hold tasks of
        third-party Task classes (see :meth:`_native_tasks_314`).
        """
        tasks_module = self.asyncio.tasks
        found = []
        weak_set = getattr(tasks_module, '_scheduled_tasks', None)
        if weak_set is None:
            weak_set = getattr(tasks_module, '_all_tasks', None)
        if weak_set is not None:
            # Copy the WeakSet's underlying set of weak references in one C-level step rather than
            # iterating the WeakSet, whose iteration guard would defer the program's own removals.
            for reference in _copy_retrying(getattr(weak_set, 'data', weak_set)):
                task = reference() if callable(reference) and not hasattr(reference, 'get_coro') else reference
                if task is not None:
                    found.append(task)
        eager = getattr(tasks_module, '_eager_tasks', None)
        if eager:
            found.extend(_copy_retrying(eager))
        return found

    def _native_tasks_314(self, known_loops):
        """Python 3.14+: ``asyncio.all_tasks(loop)`` walks every thread's task list (and the
        interpreter's list of tasks left by finished threads) under the runtime's own locking, and
        works from any thread once it is given the loop. The loops come from this thread, from the
        registries, and from a scan of the heap: nothing cheaper knows the loops of other threads,
        or loops that are not running, and a loop known here says nothing of the others."""
        loops = {id(loop): loop for loop in known_loops}
        for loop in _event_loops_in_heap(self.asyncio):
            loops.setdefault(id(loop), loop)
        found = []
        for loop in loops.values():
            try:
                found.extend(self.asyncio.all_tasks(loop))
            except Exception as error:
                self.problems.append('could not list the tasks of a loop: %s' % _describe_exception(error))
        return found

    def has_tasks(self):
        """Whether any task is still pending. Finished tasks the program still references (a trio
        program that ran asyncio.run() earlier keeps them in the registries) do not count."""
        try:
            if any(not task.done() for task in self._registries()):
                return True
            if sys.version_info >= (3, 14):
                return any(not task.done() for task in self._native_tasks_314([]))
        except Exception:
            return False
        return False

    def _all_tasks(self):
        tasks = self._registries()
        own_loop = _asyncio_running_loop(self.asyncio)
        if sys.version_info >= (3, 14):
            loops = {}
            if own_loop is not None:
                loops[id(own_loop)] = own_loop
            for task in tasks:
                loop = task.get_loop()
                loops[id(loop)] = loop
            tasks = tasks + self._native_tasks_314(loops.values())
        unique = {}
        for task in tasks:
            unique[id(task)] = task
        return list(unique.values()), own_loop

    # -- building the snapshot ------------------------------------------------------------------

    def collect(self):
        tasks, own_loop = self._all_tasks()
        tasks = [task for task in tasks if not task.done()]  # finished tasks the program still references
        threads = _thread_names()
        loops = {}
        for task in tasks:
            loop = task.get_loop()
            if id(loop) not in loops:
                loops[id(loop)] = self._describe_loop(loop, len(loops) + 1, threads, own_loop)
        own_current = self.asyncio.current_task(own_loop) if own_loop is not None else None
        self._deadlines = self._timeout_deadlines(tasks)
        # Which task waits on which future: the reverse of every task's _fut_waiter.
        waiting_on = {}
        for task in tasks:
            waiter = getattr(task, '_fut_waiter', None)
            if waiter is not None:
                waiting_on[id(waiter)] = task
        self._waiting_on = waiting_on
        self._groups = {}
        tasks.sort(key=lambda task: (loops[id(task.get_loop())]['order'], _natural_key(_task_name(task))))
        if len(loops) < 2:  # a loop's label, and a main thread's name, tell something only when there are several
            for loop in loops.values():
                loop.pop('loop')
                if loop.get('thread') == 'MainThread':
                    loop.pop('thread')
        records = []
        failures = 0
        first_failure = None
        for task in tasks:
            try:
                records.append(self._task_record(task, loops[id(task.get_loop())], own_current))
            except Exception as error:
                failures += 1
                first_failure = first_failure or _describe_exception(error)
                records.append({'id': 't%x' % id(task), 'parentId': None, 'type': 'Task', 'state': 'pending'})
        if failures:
            self.problems.append('could not read %d task(s): %s' % (failures, first_failure))
        records.extend(self._group_records())
        self._pending = tasks
        return records

    # -- findings ---------------------------------------------------------------------------------

    def findings(self, records, mid_step=False):
        """Orphans: tasks waiting on a future only they can reach, and coroutines never awaited.

        Cycles among asyncio tasks (awaiting each other, a gather or TaskGroup containing its own
        awaiter) are in the parent links and found by the view. asyncio's Lock, Event, Condition and
        Semaphore record no owner, so a lock held by a task that waits on its waiters cannot be told
        from a lock held by a task that is merely slow: no lock cycles for asyncio."""
        tasks, self._pending = self._pending, []
        found = []
        budget = [_OWNERSHIP_OBJECTS_IN_ALL]
        # A queue, lock or event that two tasks wait on is referenced from both: neither owns it.
        waiters_per_primitive = {}
        for primitive in self._primitive_of.values():
            waiters_per_primitive[primitive] = waiters_per_primitive.get(primitive, 0) + 1
        candidates = []
        settled = self._settled_by_runtime
        # collect() made one record per task, in the tasks' order.
        for index, record in enumerate(records[: len(tasks)]):
            if record['state'] != 'pending' or record['id'] in settled:
                continue
            if record.get('internal') and not self.settings['includeInternals']:
                continue  # not shown, so not judged: the runtime's and libraries' own machinery
            if waiters_per_primitive.get(self._primitive_of.get(record['id']), 0) > 1:
                continue
            candidates.append((index, record))
        if mid_step:
            candidates = []
        for checked, (index, record) in enumerate(candidates):
            if checked >= _OWNERSHIP_TASKS or budget[0] <= 0:
                self.notes.append(
                    'orphan futures: %d of %d waiting tasks checked (the check is bounded; later snapshots check the same first ones)'
                    % (checked, len(candidates))
                )
                break
            if self._waits_on_orphan(tasks, index, budget):
                found.append(_orphan_future_finding(record))
        if self._lock_waits:
            found = self._lock_cycles(tasks, records) + found
        if not mid_step:
            found.extend(_never_awaited(self._coroutine_ids, self.frames, self.notes))
        return found

    def _lock_cycles(self, tasks, records):
        """Lock cycles among tasks that take asyncio Locks with ``async with``. asyncio's Lock records
        no owner, but ``async with lock`` keeps the lock's bound ``__aexit__`` on the task's frame
        until the block ends: a suspended task whose frames hold it for a locked Lock, other than the
        one it is waiting to acquire, holds that Lock. (A Lock taken with ``acquire()`` and released
        with ``release()`` leaves no such trace: its holder stays unknown, and no cycle is claimed.)
        Read only when some task waits for a Lock; a task's direct wait for another task counts as an
        edge too, so a loop through a lock and an ``await`` is found as well."""
        holders = {}  # id(lock) -> the ids of the tasks holding it by async with
        waits = {}
        lock_class = getattr(self.asyncio, 'Lock', None)
        for index, record in enumerate(records[: len(tasks)]):
            if record['state'] != 'pending':
                continue
            task = tasks[index]
            waiting_for = self._lock_waits.get(record['id'])
            chain, _ = _await_chain(task.get_coro())
            for coroutine, _ in chain:
                for referent in _coroutine_referents(coroutine):
                    lock = getattr(referent, '__self__', None) if type(referent).__name__ == 'method' else None
                    if lock is None or id(lock) == waiting_for or lock_class not in type(lock).__mro__:
                        continue
                    if getattr(referent.__func__, '__name__', '') == '__aexit__' and _plain_attribute(lock, '_locked'):
                        holders.setdefault(id(lock), set()).add(record['id'])
            awaited = getattr(task, '_fut_waiter', None)
            if awaited is not None and hasattr(awaited, 'get_coro'):
                waits.setdefault(record['id'], []).append(('t%x' % id(awaited), None))
        for task_id, lock_id in self._lock_waits.items():
            holding = holders.get(lock_id, ())
            if len(holding) == 1:  # a Lock has one holder; anything else is not read as one
                waits.setdefault(task_id, []).append((next(iter(holding)), 'Lock'))
        by_id = {record['id']: record for record in records}
        return _lock_cycle_findings(waits, by_id, ' (holders read from their `async with` blocks)', 'waits for task')

    def _waits_on_orphan(self, tasks, index, budget):
        """Whether the future ``tasks[index]`` waits on can be reached only through the task itself:
        then nothing can ever set it. Futures whose ``done()`` is not asyncio's own are not judged
        (it would run a program's code); the probe holds no reference to the future while it judges."""
        waiter = getattr(tasks[index], '_fut_waiter', None)
        if waiter is None or hasattr(waiter, 'get_coro'):
            return False
        done = getattr(type(waiter), 'done', None)
        if not any(done is own for own in self.future_done_methods) or waiter.done():
            return False
        wanted = id(waiter)
        waiter = None
        ownership = _Ownership(tasks[index], min(_OWNERSHIP_OBJECTS_PER_TASK, budget[0]))
        try:
            return ownership.grow(wanted)
        finally:
            budget[0] -= len(ownership.owned)
            ownership.release()

    def _timeout_deadlines(self, tasks):
        """id(task) -> seconds left of the ``asyncio.timeout()`` scope it runs in (3.11+): each
        scope's timer handle in its loop's heap of scheduled handles calls the scope's
        ``_on_timeout``, and the scope knows its task. One pass over each asyncio loop's timers
        (uvloop keeps its timers out of Python's reach: no deadlines there)."""
        if getattr(self.asyncio, 'timeout', None) is None:
            return {}
        deadlines = {}
        loops = {}
        for task in tasks:
            loop = task.get_loop()
            loops[id(loop)] = loop
        for loop in loops.values():
            scheduled = _plain_attribute(loop, '_scheduled')
            if not isinstance(scheduled, list):
                continue
            now = self._now(loop)
            callbacks = {}  # handle class -> its _callback slot (asyncio's TimerHandle keeps it in a slot)
            for handle in _copy_retrying(scheduled):
                klass = type(handle)
                slot = callbacks.get(klass, _MISSING)
                if slot is _MISSING:
                    slot = callbacks[klass] = _slot_of(klass, '_callback')
                try:
                    callback = slot.__get__(handle, klass) if slot is not None else None
                except Exception:
                    continue
                if type(callback).__name__ != 'method' or type(callback.__self__).__name__ != 'Timeout':
                    continue
                scope = callback.__self__
                when = _plain_attribute(handle, '_when')
                owner = _plain_attribute(scope, '_task')
                if owner is not None and isinstance(when, (int, float)):
                    deadlines[id(owner)] = max(0.0, when - now)
        return deadlines

    def _describe_loop(self, loop, order, threads, own_loop):
        # asyncio's loops record the thread that runs them; uvloop's keep it out of Python's reach,
        # so a uvloop loop's thread is known when it runs in the probe's thread (the debugger stopped
        # in one of its tasks) and not otherwise.
        thread_id = getattr(loop, '_thread_id', None)
        if thread_id is None and loop is own_loop:
            thread_id = _current_thread_id()
        thread = threads.get(thread_id) if thread_id is not None else None
        running = False
        try:
            running = bool(loop.is_running())
        except Exception:
            pass
        description = {'order': order, 'loop': 'loop %d (%s)' % (order, type(loop).__name__), 'running': running}
        if thread:
            description['thread'] = thread
        return description

    def _task_record(self, task, loop, own_current):
        coroutine = task.get_coro()
        self._coroutine_ids.add(id(coroutine))
        name = str(task.get_name())
        record = {'id': 't%x' % id(task), 'parentId': None, 'name': name, 'type': 'Task'}
        details = {}
        if 'loop' in loop:
            details['loop'] = loop['loop']
        if 'thread' in loop:
            details['thread'] = loop['thread']
        if task.done():
            record['state'] = 'cancelled' if task.cancelled() else 'done'
        else:
            running = task is own_current or bool(getattr(coroutine, 'cr_running', False))
            record['state'] = 'running' if running else 'pending'
            if id(task) in self._deadlines:
                details['deadline'] = 'in ' + _seconds(self._deadlines[id(task)])
            if _cancellation_pending(task):
                counter = getattr(task, 'cancelling', None)  # 3.11+: requests not yet uncancelled
                details['cancelling'] = max(1, counter()) if counter is not None else 1
            chain, innermost = _await_chain(coroutine) if coroutine is not None else ([], None)
            self.frames.learn_qualnames(chain)
            frames = [frame for _, frame in chain]
            # The stopped task's coroutines are executing: cr_await ends at the outermost one, so
            # its stack comes from this thread's frames instead.
            own = _own_thread_frames(frames[0]) if task is own_current and frames else None
            frames = own if own else list(reversed(frames))
            if frames:
                stack, record['_coroutine'] = self.frames.stack(frames)
                if stack:
                    record['stack'] = stack
                    record['stackKind'] = 'suspended'
            if chain and name.startswith('Task-') and not self.frames.chain_shape(chain)[1]:
                # Unnamed tasks that run no code of the program's: asyncio's own helpers (aclose() at
                # shutdown, wait()'s wrappers) and a library's per-connection machinery (aiohttp's
                # RequestHandler.start). The program's handlers they run are tasks of their own. An
                # unnamed task the program made straight on a library call (create_task(client.get(u)))
                # is hidden too: the snapshot's notes count these, so the user knows to look.
                record['internal'] = True
                record['_libraryOnly'] = True
            # A hidden task's wait is not described (a loaded server has thousands of them).
            if not running and (self.settings['includeInternals'] or not record.get('internal')):
                awaiting, label = self._awaiting(task, coroutine, chain, innermost, details)
                if awaiting:
                    record['awaiting'] = awaiting
                    if label and label != awaiting:
                        record['_group'] = label
        if coroutine is not None and 'stack' not in record:
            # Grouping by coroutine reads the outermost frame of the stack; without one, say it here.
            details['coroutine'] = getattr(coroutine, '__qualname__', None) or type(coroutine).__name__
        site = self._creation_site(task, coroutine)
        if site:
            record['site'] = site
            record.setdefault('_coroutine', site.get('functionName'))
        parent_id, link = self._parent(task)
        if parent_id:
            record['parentId'] = parent_id
            details['parentLink'] = link
        if details:
            record['details'] = details
        return record

    def _creation_site(self, task, coroutine):
        """Where the task was created, when the program keeps it: ``cr_origin`` (coroutine origin
        tracking, ``sys.set_coroutine_origin_tracking_depth``) or ``_source_traceback`` (asyncio
        debug mode). Without either, Python does not record it."""
        origin = getattr(coroutine, 'cr_origin', None)
        if origin:
            for filename, line, function in origin:
                if not self.frames.is_runtime(filename):
                    return {'file': self.frames.path(filename), 'line': line, 'functionName': function}
        source = getattr(task, '_source_traceback', None)
        if source:
            for entry in reversed(source):
                if not self.frames.is_runtime(entry[0]):
                    return {'file': self.frames.path(entry[0]), 'line': entry[1], 'functionName': entry[2]}
        return None

    # -- parents: who awaits this task -----------------------------------------------------------

    def _parent(self, task):
        """(parent id, how) for a task: the task awaiting it directly, the TaskGroup that owns it,
        or the task awaiting the gather()/wait()/shield() future it feeds.

        CPython 3.14 also records an ``awaited_by`` set (``future_add_to_awaited_by()``), but for a
        TaskGroup's, gather's, wait's and shield's children it names the task that owns the group
        or awaits the combined future, skipping what links them: it is read only when nothing more
        precise is found.
        """
        awaiter = self._waiting_on.get(id(task))
        if awaiter is not None:
            return 't%x' % id(awaiter), 'await'
        for callback in self._callbacks(task):
            owner = getattr(callback, '__self__', None)
            if owner is not None and owner is not task:
                if hasattr(owner, 'get_coro'):  # a task's wake-up method: it awaits this task
                    return 't%x' % id(owner), 'await'
                if self.task_group_type is not None and isinstance(owner, self.task_group_type):
                    return self._group_id(owner), 'TaskGroup'
            for future in self._futures_referenced_by(callback):
                parent = self._awaiter_of(future)
                if parent is not None:
                    gathering = self.gathering_future_type is not None and isinstance(future, self.gathering_future_type)
                    return 't%x' % id(parent), 'gather' if gathering else 'future'
        awaited_by = getattr(task, '_asyncio_awaited_by', None)  # 3.14+
        if awaited_by:
            for future in _copy_retrying(awaited_by):
                if hasattr(future, 'get_coro'):
                    return 't%x' % id(future), 'await'
        return None, None

    def _callbacks(self, future):
        callbacks = getattr(future, '_callbacks', None)
        if not callbacks:
            return []
        return [entry[0] if isinstance(entry, tuple) else entry for entry in _copy_retrying(callbacks)]

    def _futures_referenced_by(self, callback):
        """Futures a done-callback closes over: gather's ``outer``, wait()'s ``waiter``, shield's
        ``outer``, wait_for's ``functools.partial(_release_waiter, waiter)``."""
        candidates = list(getattr(callback, 'args', ()) or ())
        for cell in getattr(callback, '__closure__', None) or ():
            try:
                candidates.append(cell.cell_contents)
            except ValueError:  # an empty cell
                continue
        return [candidate for candidate in candidates if hasattr(candidate, '_asyncio_future_blocking')]

    def _awaiter_of(self, future):
        awaiter = self._waiting_on.get(id(future))
        if awaiter is not None:
            return awaiter
        for callback in self._callbacks(future):
            owner = getattr(callback, '__self__', None)
            if owner is not None and hasattr(owner, 'get_coro'):
                return owner
        return None

    def _group_id(self, group):
        key = id(group)
        if key not in self._groups:
            self._groups[key] = group
        return 'g%x' % key

    def _group_records(self):
        records = []
        for key, group in self._groups.items():
            parent = getattr(group, '_parent_task', None)
            children = len(_copy_retrying(getattr(group, '_tasks', ()) or ()))
            exiting = getattr(group, '_on_completed_fut', None) is not None
            record = {
                'id': 'g%x' % key,
                'parentId': 't%x' % id(parent) if parent is not None else None,
                'name': 'TaskGroup',
                'type': 'TaskGroup',
                'state': 'pending',
                # No `awaiting`: a scope is not waiting on one thing, and the view groups by awaiting.
                'details': {'tasks': children, 'scope': 'waiting for its tasks' if exiting else 'async with body running'},
            }
            records.append(record)
        return records

    # -- what a task waits on --------------------------------------------------------------------

    def _awaiting(self, task, coroutine, chain, innermost, details):
        """(what the task waits on, its group label when that differs)."""
        index = self.frames.chain_shape(chain)[0]
        if index is not None:
            if self.frames.code_info(chain[index][1].f_code)[2] == 'library':
                if innermost is None:
                    innermost = getattr(task, '_fut_waiter', None)
                return _describe_library_call(self.frames, chain, index, innermost, details)
            return self._describe_runtime_call(task, chain, index, details)
        waiter = innermost if innermost is not None else getattr(task, '_fut_waiter', None)
        if waiter is not None:
            text, label = self._describe_future(waiter)
            if text.startswith('loop.run_in_executor()'):
                self._settled_by_runtime.add('t%x' % id(task))
            return text, label
        if _not_started(coroutine):
            return 'not started yet', None
        return 'ready to run', None

    def _describe_runtime_call(self, task, chain, index, details):
        """(text, group label) for a call into asyncio itself (``Queue.get()``, ``asyncio.sleep(5)``)."""
        coroutine, frame = chain[index]
        _, qualname, _, module = self.frames.code_info(frame.f_code)
        owner = _method_owner(coroutine, qualname)
        shown = qualname
        if owner is not None and '.' in qualname:
            shown = type(owner).__name__ + '.' + qualname.rsplit('.', 1)[1]
        if owner is not None:
            self._primitive_of['t%x' % id(task)] = id(owner)
        if module in _SETTLED_BY_RUNTIME.get(qualname, ()) or (module in ('streams', 'base_events', 'selector_events') and owner is not None):
            self._settled_by_runtime.add('t%x' % id(task))
        if module == 'tasks' and qualname == 'sleep':
            return self._describe_sleep(task, coroutine, details), None
        if module == 'tasks' and qualname == 'wait_for':
            return self._describe_wait_for(task, chain, index, details), None
        if module == 'tasks' and qualname == 'wait':
            return self._describe_wait(coroutine)
        if module == 'taskgroups' and qualname.endswith('__aexit__') and owner is not None:
            count = len(_copy_retrying(getattr(owner, '_tasks', ()) or ()))
            return 'TaskGroup: waiting for %d task(s)' % count, 'TaskGroup: waiting for its tasks'
        if module == 'queues' and qualname.endswith('.put'):
            return shown + '() — queue full', None
        if module == 'locks' and qualname == 'Lock.acquire' and owner is not None:
            self._lock_waits['t%x' % id(task)] = id(owner)
        if module == 'threads' and qualname == 'to_thread':
            return 'asyncio.to_thread() — running in a worker thread', None
        if module == 'subprocess' and owner is not None:
            pid = _plain_attribute(owner, 'pid')
            return '%s()%s' % (shown, ' — child pid %s' % pid if pid is not None else ''), shown + '()'
        if module == 'streams' and owner is not None:
            writing = qualname.endswith('drain')
            endpoint = _Endpoint.find([_plain_attribute(owner, '_transport')])
            if endpoint is None:
                text = '%s() — %s' % (shown, 'socket write' if writing else 'socket read')
                return text, None
            text, label = endpoint.reading(writing)
            if not endpoint.pipe and writing:  # a write's peer is in the details: "socket write" reads as before
                details['peer'] = endpoint.peer
                text = label = 'socket write'
            return '%s() — %s' % (shown, text), '%s() — %s' % (shown, label)
        if '.' in shown:
            owner_class = shown.rsplit('.', 1)[0]
            if owner_class.endswith('EventLoop'):
                shown = 'loop.' + shown.rsplit('.', 1)[1]
                suffix = ' — socket read' if 'recv' in shown or 'accept' in shown else ''
                return shown + '()' + suffix, None
            return shown + '()', None
        return 'asyncio.%s()' % shown, None

    def _describe_wait_for(self, task, chain, index, details):
        """``asyncio.wait_for(Queue.get(), timeout=30)``: what it waits for, and the timeout as
        written; the time left goes to ``details.deadline``. 3.12+ awaits the inner coroutine in the
        same chain under ``asyncio.timeout()``; before, it wraps it in a helper task and waits on a
        future with a timer handle."""
        coroutine = chain[index][0]
        timeout = None
        inner = None
        timer = None
        for referent in _coroutine_referents(coroutine):
            if timeout is None and type(referent) in (int, float):
                timeout = referent
            elif inner is None and hasattr(referent, 'get_coro'):
                inner = _coroutine_call_name(referent.get_coro(), self.frames)
            elif timer is None and type(referent).__name__ == 'Timeout':
                timer = _plain_attribute(referent, '_when')
            elif timer is None and hasattr(referent, 'when') and hasattr(referent, 'cancelled'):
                timer = referent.when()
        if inner is None and index + 1 < len(chain):
            inner = _coroutine_call_name(chain[index + 1][0], self.frames)
        if isinstance(timer, (int, float)):
            details['deadline'] = 'in ' + _seconds(max(0.0, timer - self._now(task.get_loop())))
        return 'asyncio.wait_for(%s%s)' % (inner or '…', ', timeout=%s' % _number(timeout) if timeout is not None else '')

    def _describe_wait(self, coroutine):
        """``asyncio.wait() — 11 of 11 pending``: the set of futures wait() holds, counted."""
        for referent in _coroutine_referents(coroutine):
            if type(referent) is set:
                futures = [item for item in _copy_retrying(referent) if hasattr(item, '_asyncio_future_blocking')]
                if futures:
                    pending = sum(1 for future in futures if not future.done())
                    return 'asyncio.wait() — %d of %d pending' % (pending, len(futures)), 'asyncio.wait()'
        return 'asyncio.wait()', None

    def _now(self, loop):
        now = self._loop_now.get(id(loop))
        if now is None:
            now = self._loop_now[id(loop)] = loop.time()  # time.monotonic(): reads a clock, schedules nothing
        return now

    def _describe_sleep(self, task, coroutine, details):
        """``asyncio.sleep(<delay>)``: the argument as written, so every sleeper of a call site groups
        together; the time left goes to the details (it changes with every snapshot)."""
        timer = None
        delay = None
        for referent in _coroutine_referents(coroutine):
            if delay is None and type(referent) in (int, float):
                delay = referent  # sleep()'s first local
            elif hasattr(referent, 'when') and hasattr(referent, 'cancelled'):  # asyncio's or uvloop's TimerHandle
                timer = referent
                break
        if timer is not None:
            details['wakesIn'] = _seconds(max(0.0, timer.when() - self._now(task.get_loop())))
        return 'asyncio.sleep(%s)' % (_number(delay) if delay is not None else '')

    def _describe_future(self, future):
        """(text, group label) for a future a task awaits in its own code."""
        if hasattr(future, 'get_coro'):
            coroutine = future.get_coro()
            label = 'task %s' % (_coroutine_call_name(coroutine, self.frames) if coroutine is not None else '')
            return 'task "%s"' % future.get_name(), label.rstrip()
        if self.gathering_future_type is not None and isinstance(future, self.gathering_future_type):
            children = _copy_retrying(getattr(future, '_children', ()) or ())
            pending = sum(1 for child in children if not child.done())
            return 'asyncio.gather() — %d of %d pending' % (pending, len(children)), 'asyncio.gather()'
        for callback in self._callbacks(future):
            for cell in getattr(callback, '__closure__', None) or ():
                try:
                    source = cell.cell_contents
                except ValueError:
                    continue
                if self.concurrent_future is not None and isinstance(source, self.concurrent_future):
                    state = getattr(source, '_state', '')
                    where = 'running in a worker thread' if state == 'RUNNING' else 'queued for a worker thread'
                    return 'loop.run_in_executor() — %s' % where, None
                if hasattr(source, 'get_coro') and getattr(callback, '__name__', '') == '_outer_done_callback':
                    # asyncio.shield(): the outer future's callback cancels... nothing; it closes over the inner task.
                    coroutine = source.get_coro()
                    return 'asyncio.shield(task "%s")' % source.get_name(), 'asyncio.shield(task %s)' % (
                        _coroutine_call_name(coroutine, self.frames) if coroutine is not None else ''
                    )
        return '%s (pending)' % type(future).__name__, None


def _coroutine_call_name(coroutine, frames):
    """``Queue.get()``, ``fetch()``: the call a coroutine object stands for, named as the program
    wrote it (a method after the class of its ``self``)."""
    qualname = getattr(coroutine, '__qualname__', None) or type(coroutine).__name__
    if '.' in qualname and '<locals>' not in qualname:
        owner = _method_owner(coroutine, qualname)
        if owner is not None:
            qualname = type(owner).__name__ + '.' + qualname.rsplit('.', 1)[1]
    elif '<locals>' in qualname:
        qualname = qualname.rsplit('.', 1)[1]
    code = getattr(coroutine, 'cr_code', None)
    if code is not None and frames.origin(code.co_filename) == 'runtime' and '.' not in qualname:
        qualname = 'asyncio.' + qualname
    return qualname + '()'


def _cancellation_pending(task):
    """A cancel() that the task has not received yet: requested while it ran (``_must_cancel``) or
    delivered to the future it waits on. ``Task.cancelling()`` alone is not enough: it counts
    requests until ``uncancel()``, which anyio 3 never calls, so it stays above 0 on tasks that
    caught their cancellation long ago."""
    if getattr(task, '_must_cancel', False):
        return True
    waiter = getattr(task, '_fut_waiter', None)
    try:
        return waiter is not None and waiter.cancelled()
    except Exception:
        return False


def _task_name(task):
    try:
        return str(task.get_name())
    except Exception:  # a Task subclass of the program's may fail: sorted last, reported by _task_record
        return '~'


def _not_started(coroutine):
    frame = getattr(coroutine, 'cr_frame', None)
    if frame is None or getattr(coroutine, 'cr_running', False):
        return False
    suspended = getattr(coroutine, 'cr_suspended', None)  # 3.11+
    if suspended is not None:
        return not suspended
    return frame.f_lasti < 0


def _method_owner(coroutine, qualname):
    """The ``self`` of a suspended method coroutine, found among its frame's referents."""
    if '.' not in qualname:
        return None
    class_name = qualname.rsplit('.', 2)[-2]
    for referent in _coroutine_referents(coroutine):
        if type(referent) is _CELL_TYPE:  # `self` captured by a closure lives in a cell (trio's Event.wait)
            try:
                referent = referent.cell_contents
            except ValueError:  # an empty cell
                continue
        for klass in type(referent).__mro__:
            if klass.__name__ == class_name:
                return referent
    return None


def _cell_holding(value):
    return (lambda: value).__closure__[0]


_CELL_TYPE = type(_cell_holding(None))


def _peer_of(transport):
    if transport is None:
        return None
    try:
        peer = transport.get_extra_info('peername')  # a dictionary read in asyncio and uvloop
    except Exception:
        return None
    if isinstance(peer, tuple) and len(peer) >= 2:
        return '%s:%s' % (peer[0], peer[1])
    return str(peer) if peer else None


# ---------------------------------------------------------------------------------------------
# trio


class _TrioCollector:
    """The task tree of every trio run: root task -> nurseries -> child tasks, with deadlines."""

    @staticmethod
    def _run_module():
        return sys.modules.get('trio._core._run')

    @classmethod
    def own_runner(cls):
        """The runner of a trio.run() in this thread: trio keeps it in a thread-local."""
        context = getattr(cls._run_module(), 'GLOBAL_RUN_CONTEXT', None)
        return getattr(context, 'runner', None) if context is not None else None

    @classmethod
    def find_runners(cls):
        """This thread's runner, or else every live runner in the heap (a stopped worker thread
        cannot read the trio thread's thread-local, and walking that thread's frames is unsafe)."""
        own = cls.own_runner()
        if own is not None:
            return [own]
        runner_type = getattr(cls._run_module(), 'Runner', None)
        if runner_type is None:
            return []
        return [obj for obj in gc.get_objects() if type(obj) is runner_type and getattr(obj, 'tasks', None)]

    def __init__(self, runners, settings):
        self.runners = runners
        self.settings = settings
        self.problems = []
        trio = sys.modules.get('trio')
        self.frames = _Frames([_package_dir(trio)], settings)
        self.trio_dir = _package_dir(trio) or ''
        context = getattr(self._run_module(), 'GLOBAL_RUN_CONTEXT', None)
        self.own_task = getattr(context, 'task', None) if context is not None else None
        self.notes = []
        # Who waits for whom, for lock cycles: task id -> [(task id, a lock's class or None for a child)].
        self._waits = {}
        self._coroutine_ids = set()  # every task's coroutine: owned, whether started or not
        self._lock_waits = {}  # task id -> id() of the asyncio Lock it waits to acquire
        self._parked = []  # (task, id of what would wake it), for the orphan check

    def collect(self):
        records = []
        for order, runner in enumerate(self.runners, 1):
            try:
                records.extend(self._collect_runner(runner, order))
            except Exception as error:
                self.problems.append('could not read trio run %d: %s' % (order, _describe_exception(error)))
        return records

    def _collect_runner(self, runner, order):
        all_tasks = _copy_retrying(runner.tasks)
        runnable = {id(task) for task in _copy_retrying(runner.runq)}
        try:
            now = runner.clock.current_time()  # SystemClock: offset + perf_counter(); reads only
        except Exception:
            now = None
        main_task = getattr(runner, 'main_task', None)
        user_tasks = set()
        if main_task is not None:
            self._mark_subtree(main_task, user_tasks)
        context = {'now': now, 'runnable': runnable, 'user': user_tasks, 'run': 'trio run %d' % order}
        records = []
        visited = set()
        root = getattr(runner, 'init_task', None)
        stack = [(root, None)] if root is not None else []
        # Depth-first from the root task, children in creation order, so the list reads as the tree.
        while stack:
            task, parent_id = stack.pop()
            if id(task) in visited:
                continue
            visited.add(id(task))
            records.append(self._task_record(task, parent_id, context))
            pending = []
            for nursery in list(getattr(task, '_child_nurseries', ()) or ()):
                nursery_record = self._nursery_record(nursery, task, context)
                records.append(nursery_record)
                children = sorted(_copy_retrying(getattr(nursery, '_children', ()) or ()), key=_trio_creation_order)
                pending.extend((child, nursery_record['id']) for child in children)
            stack.extend(reversed(pending))
        # Tasks between nurseries (mid nursery.start()) or not reachable from the root still count.
        for task in sorted(all_tasks, key=_trio_creation_order):
            if id(task) not in visited:
                parent = getattr(task, '_parent_nursery', None)
                records.append(self._task_record(task, 'n%x' % id(parent) if parent is not None else None, context))
        return records

    def _mark_subtree(self, task, marked):
        pending = [task]
        while pending:
            current = pending.pop()
            if id(current) in marked:
                continue
            marked.add(id(current))
            for nursery in list(getattr(current, '_child_nurseries', ()) or ()):
                pending.extend(_copy_retrying(getattr(nursery, '_children', ()) or ()))

    def _task_record(self, task, parent_id, context):
        coroutine = getattr(task, 'coro', None)
        record = {'id': 't%x' % id(task), 'parentId': parent_id, 'name': str(getattr(task, 'name', '?')), 'type': 'Task'}
        details = {'run': context['run']} if len(self.runners) > 1 else {}
        running = task is self.own_task or bool(getattr(coroutine, 'cr_running', False))
        record['state'] = 'running' if running else 'pending'
        chain, _ = _await_chain(coroutine) if coroutine is not None else ([], None)
        self.frames.learn_qualnames(chain)
        if coroutine is not None:
            self._coroutine_ids.add(id(coroutine))
        if not running:
            self._note_waits(task, chain)
        frames = [frame for _, frame in chain]
        own = _own_thread_frames(frames[0]) if task is self.own_task and frames else None
        frames = own if own else list(reversed(frames))
        if frames:
            stack, record['_coroutine'] = self.frames.stack(frames)
            if stack:
                record['stack'] = stack
                record['stackKind'] = 'suspended'
        scope = getattr(getattr(task, '_cancel_status', None), '_scope', None)
        deadline = getattr(scope, '_deadline', float('inf'))
        remaining = None
        if context['now'] is not None and deadline != float('inf'):
            remaining = max(0.0, deadline - context['now'])
            details['deadline'] = 'in ' + _seconds(remaining)
        if getattr(scope, '_cancel_called', False):
            details['cancelCalled'] = True
        if not running:
            if id(task) in context['runnable']:
                record['awaiting'] = 'ready to run'
            else:
                awaiting, label = self._awaiting(task, chain, remaining)
                if awaiting:
                    record['awaiting'] = awaiting
                    if label and label != awaiting:
                        record['_group'] = label
        if id(task) not in context['user']:
            record['internal'] = True
        if coroutine is not None and 'stack' not in record:
            details['coroutine'] = getattr(coroutine, '__qualname__', None) or type(coroutine).__name__
        if details:
            record['details'] = details
        return record

    def _note_waits(self, task, chain):
        """What a suspended task waits for that another task must end: a Lock's holder (trio's Lock
        records its owner; the task is parked in that lock's ParkingLot), or the children of the
        nursery it is leaving. Semaphores, Conditions and channels record no owner."""
        task_id = 't%x' % id(task)
        lot = getattr(task, 'custom_sleep_data', None)
        if lot is not None and type(lot).__name__ == 'ParkingLot':
            for coroutine, frame in chain:
                qualname = self.frames.code_info(frame.f_code)[1]
                if not qualname.endswith('.acquire'):
                    continue
                lock = _method_owner(coroutine, qualname)
                holder = getattr(lock, '_owner', None) if getattr(lock, '_lot', None) is lot else None
                if holder is not None and holder is not task:
                    self._waits.setdefault(task_id, []).append(('t%x' % id(holder), type(lock).__name__))
                    return
        waker = self._waker(task, chain)
        if waker is not None:
            self._parked.append((task, waker))
        for nursery in list(getattr(task, '_child_nurseries', ()) or ()):
            if getattr(nursery, '_parent_waiting_in_aexit', False):
                for child in _copy_retrying(getattr(nursery, '_children', ()) or ()):
                    self._waits.setdefault(task_id, []).append(('t%x' % id(child), None))

    def findings(self, records, mid_step=False):
        """Lock cycles (a Lock held by a task that waits, directly or through the children it waits
        for, on a task that wants that Lock); orphans: tasks parked on an Event, ParkingLot or memory
        channel that nothing but the task can reach (see ``_waker``); coroutines never awaited."""
        by_id = {record['id']: record for record in records}
        found = _lock_cycle_findings(self._waits, by_id)
        parked, self._parked = self._parked, []
        if mid_step:
            return found
        budget = [_OWNERSHIP_OBJECTS_IN_ALL]
        for task, waker in parked[:_OWNERSHIP_TASKS]:
            record = by_id.get('t%x' % id(task))
            if record is None or (record.get('internal') and not self.settings['includeInternals']):
                continue
            ownership = _Ownership(task, min(_OWNERSHIP_OBJECTS_PER_TASK, budget[0]))
            try:
                if ownership.grow(waker):
                    found.append(_orphan_future_finding(record))
            finally:
                budget[0] -= len(ownership.owned)
                ownership.release()
        if len(parked) > _OWNERSHIP_TASKS:
            self.notes.append('orphan waits: %d of %d parked tasks checked (the check is bounded)' % (_OWNERSHIP_TASKS, len(parked)))
        found.extend(_never_awaited(self._coroutine_ids, self.frames, self.notes))
        return found

    def _waker(self, task, chain):
        """id() of what would wake a suspended task, where trio registers it there: an Event's task
        set, a ParkingLot's parked tasks (a Condition's, a Semaphore's), a memory channel's shared
        state (both ends reach it). None for any other wait, which the orphan check leaves alone.
        ``custom_sleep_data`` is not used: trio leaves it stale after a wait."""
        for coroutine, frame in reversed(chain):
            qualname = self.frames.code_info(frame.f_code)[1]
            name = frame.f_code.co_name
            if name not in ('wait', 'park', 'receive', 'send'):
                continue
            owner = _method_owner(coroutine, qualname)
            if owner is None:
                continue
            kind = type(owner).__name__
            if kind == 'Event':
                registered = _plain_attribute(owner, '_tasks')
            elif kind == 'ParkingLot':
                registered = _plain_attribute(owner, '_parked')
            elif kind in ('MemoryReceiveChannel', 'MemorySendChannel'):
                owner = _plain_attribute(owner, '_state')
                registered = _plain_attribute(owner, 'receive_tasks' if kind == 'MemoryReceiveChannel' else 'send_tasks')
            else:
                continue
            # trio's Task compares by identity: membership runs no code of the program's.
            if isinstance(registered, (set, dict)) and task in registered:
                return id(owner)
            return None
        return None

    def _nursery_record(self, nursery, parent_task, context):
        children = len(_copy_retrying(getattr(nursery, '_children', ()) or ()))
        exiting = bool(getattr(nursery, '_parent_waiting_in_aexit', False))
        details = {'children': children, 'scope': 'waiting for its children' if exiting else 'async with body running'}
        scope = getattr(nursery, 'cancel_scope', None)
        deadline = getattr(scope, '_deadline', float('inf'))
        if context['now'] is not None and deadline != float('inf'):
            details['deadline'] = 'in ' + _seconds(max(0.0, deadline - context['now']))
        if getattr(scope, '_cancel_called', False):
            details['cancelCalled'] = True
        record = {
            'id': 'n%x' % id(nursery),
            'parentId': 't%x' % id(parent_task),
            'name': 'nursery',
            'type': 'Nursery',
            'state': 'pending',
            'details': details,
        }
        if id(parent_task) not in context['user']:
            record['internal'] = True
        return record

    def _awaiting(self, task, chain, remaining):
        """(what the task waits on, its group label when that differs)."""
        index = self.frames.chain_shape(chain)[0]
        if index is None:
            return None, None
        if self.frames.code_info(chain[index][1].f_code)[2] == 'library':
            return _describe_library_call(self.frames, chain, index, None, {})
        code = chain[index][1].f_code
        qualname = self.frames.code_info(code)[1]
        relative = code.co_filename[len(self.trio_dir) :] if code.co_filename.startswith(self.trio_dir) else ''
        module = os.path.splitext(relative)[0].replace(os.sep, '.')
        innermost = None
        for _, frame in reversed(chain):
            name = frame.f_code.co_name
            if name in ('wait_readable', 'wait_writable'):
                innermost = name
                break
        if module == '_timeouts' and qualname in ('sleep', 'sleep_until'):
            # The argument as written (seconds, or the deadline); the time left is details['deadline'].
            argument = next((value for value in _coroutine_referents(chain[index][0]) if type(value) in (int, float)), None)
            return 'trio.%s(%s)' % (qualname, _number(argument) if argument is not None and qualname == 'sleep' else ''), None
        if qualname.endswith('NurseryManager.__aexit__'):
            nurseries = list(getattr(task, '_child_nurseries', ()) or ())
            count = len(_copy_retrying(nurseries[-1]._children)) if nurseries else 0
            return 'nursery: waiting for %d child task(s)' % count, 'nursery: waiting for its child tasks'
        if module == '_threads' and qualname == 'to_thread_run_sync':
            return 'trio.to_thread.run_sync() — running in a worker thread', None
        if '<locals>.wrapper' in qualname and module == '_socket':
            # trio's socket methods are made by _make_simple_sock_method_wrapper; the coroutine
            # carries the stdlib method's name.
            qualname = '_SocketType.' + str(getattr(chain[index][0], '__name__', 'call'))
        if '.' in qualname:
            # A method is named after the class of its `self`, the one the program used: trio's Lock
            # inherits acquire() from the private _LockImpl, and users wrote Lock.
            owner = _method_owner(chain[index][0], qualname)
            if owner is not None:
                qualname = type(owner).__name__ + '.' + qualname.rsplit('.', 1)[1]
            if qualname.startswith('_SocketType.'):
                qualname = 'socket.' + qualname.rsplit('.', 1)[1]
            shown = qualname + '()'
            if qualname.endswith('.send'):
                shown += ' — channel full' if 'Channel' in qualname else ''
        elif module.startswith('_core'):
            shown = 'trio.lowlevel.%s()' % qualname
        else:
            shown = 'trio.%s()' % qualname
        if innermost in ('wait_readable', 'wait_writable') and innermost not in shown:
            owners = [_method_owner(awaitable, self.frames.code_info(frame.f_code)[1]) for awaitable, frame in reversed(chain[index:])]
            endpoint = _Endpoint.find(owners)
            if endpoint is not None:
                # trio's sockets do not say which side they are; a task that serve_tcp()/serve_listeners()
                # started for a connection is the server's.
                endpoint.server_side = endpoint.server_side or _serves_a_connection(chain)
                text, label = endpoint.reading(innermost == 'wait_writable')
                return '%s — %s' % (shown, text), '%s — %s' % (shown, label)
            shown += ' — socket read' if innermost == 'wait_readable' else ' — socket write'
        return shown, None


def _serves_a_connection(chain):
    outermost = chain[0][1].f_code if chain else None
    return outermost is not None and outermost.co_name == '_run_handler' and outermost.co_filename.endswith('_highlevel_serve_listeners.py')


def _trio_creation_order(task):
    return getattr(task, '_counter', 0)
