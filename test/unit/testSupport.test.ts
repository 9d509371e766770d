// The helpers every layer's tests and the scripts share (test/support/): each one proved on real
// processes and sockets, since a helper that quietly does nothing would let other tests pass for nothing.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { unusedPort, waitForPort } from '../support/loopbackPorts';
import { killProcessGroup } from '../support/processGroup';
import { waitUntil } from '../support/waitUntil';

/** Whether a process with this pid exists (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('test support', () => {
  it('killProcessGroup ends a program and the child it started, and says when nothing is left', async () => {
    // A shell that starts a sleeping child and prints its pid: the child is in the shell's group.
    const leader = spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await once(leader.stdout, 'data');
    const grandchild = Number(String(line).trim());
    assert.ok(alive(grandchild), 'the child started');
    const exited = once(leader, 'exit');
    assert.equal(killProcessGroup(leader, 'SIGKILL'), true);
    await exited;
    await waitUntil('the child to be gone', () => !alive(grandchild), { timeoutMs: 5_000 });
    assert.equal(killProcessGroup(leader, 'SIGKILL'), false);
    assert.equal(killProcessGroup(undefined), false);
  });

  it('waitUntil resolves with the first value that is not undefined or false', async () => {
    let calls = 0;
    const value = await waitUntil(
      'the third call',
      () => (++calls === 3 ? `call ${calls}` : calls === 1 ? false : undefined),
      {
        intervalMs: 1,
      },
    );
    assert.equal(value, 'call 3');
  });

  it('waitUntil rejects after its time limit, naming what it waited for', async () => {
    await assert.rejects(
      waitUntil('a condition that never holds', () => false, { timeoutMs: 50, intervalMs: 10 }),
      /timed out after 50 ms waiting for a condition that never holds/,
    );
  });

  it('waitUntil rejects at once with what the probe throws', async () => {
    const started = Date.now();
    await assert.rejects(
      waitUntil(
        'anything',
        () => {
          throw new Error('the program exited');
        },
        { timeoutMs: 10_000 },
      ),
      /the program exited/,
    );
    assert.ok(Date.now() - started < 1_000);
  });

  it('waitForPort resolves once a server listens on an unused port, and stops when told it is gone', async () => {
    const port = await unusedPort();
    const server = createServer((socket) => socket.destroy());
    const waiting = waitForPort(port, { timeoutMs: 5_000, intervalMs: 20 });
    setTimeout(() => server.listen(port, '127.0.0.1'), 100);
    try {
      await waiting;
    } finally {
      server.close();
    }
    await assert.rejects(
      waitForPort(await unusedPort(), { timeoutMs: 5_000, stillRunning: () => false }),
      /exited before listening/,
    );
  });
});
