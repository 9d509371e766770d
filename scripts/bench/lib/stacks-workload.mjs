// A snapshot shaped like a busy asyncio server, for the Async Stacks benchmark: `size` tasks under one
// TaskGroup, 20 request handlers 4–11 frames deep, each suspended at one of a few awaits, and a long
// tail (one task in 50) of rare stacks: about size / 100 distinct rare branches, the case that folding
// into "+N more" exists for. Deterministic.
export function serverSnapshot(size) {
  const file = (name) => `/srv/app/${name}.py`;
  const tasks = [
    {
      id: 'main',
      parentId: null,
      name: 'main',
      type: 'Task',
      state: 'pending',
      awaiting: `TaskGroup: waiting for ${size} task(s)`,
      stack: [{ file: file('server'), line: 88, functionName: 'main' }],
      stackKind: 'suspended',
    },
    { id: 'group', parentId: 'main', name: 'TaskGroup', type: 'TaskGroup', state: 'pending' },
  ];
  const awaits = ['socket read', 'Queue.get()', 'Lock.acquire()', 'asyncio.sleep(1)'];
  const rareBranches = Math.max(1, Math.round(size / 100));
  for (let index = 0; index < size; index++) {
    const route = index % 20;
    const depth = 4 + (route % 8);
    // Innermost first: the await, then the handler's callers up to the connection handler.
    const stack = [];
    const rare = index % 50 === 49;
    // Every 50th task, the next of the rare branches in turn (not `index % rareBranches`: that would
    // share factors with 50 and give only a few distinct branches).
    const rareBranch = Math.floor(index / 50) % rareBranches;
    const leaf = rare ? `rare_path_${rareBranch}` : `query_${route}_${index % 3}`;
    stack.push({
      file: file(rare ? 'legacy' : 'db'),
      line: rare ? 100 + rareBranch : 10 + (index % 3),
      functionName: leaf,
    });
    for (let level = depth - 2; level >= 1; level--)
      stack.push({ file: file(`route_${route}`), line: 20 + level, functionName: `step_${route}_${level}` });
    stack.push({ file: file('server'), line: 40, functionName: 'handle_connection' });
    tasks.push({
      id: `t${index}`,
      parentId: 'group',
      name: `conn-${index}`,
      type: 'Task',
      state: 'pending',
      ageMs: (index * 7919) % 600_000,
      awaiting: awaits[(index + route) % awaits.length],
      stack,
      stackKind: 'suspended',
    });
  }
  return { version: 1, runtime: 'asyncio', pid: 1, takenAt: Date.now(), tasks };
}
