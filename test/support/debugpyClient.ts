// The one DAP test client: it drives Debian's real debugpy adapter over stdio, without VS Code. The
// Python source's tests, the python-versions layer and the probe benchmarks use it to send the source's
// own expressions through a real `evaluate` and measure what comes back. It speaks just enough DAP for that.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { killProcessGroup } from './processGroup';

interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export class DebugpyClient {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of the message being received (header and body), once its header is in. */
  private needed?: number;
  private headerLength = 0;
  private seq = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: DapMessage) => void; reject: (e: Error) => void }
  >();
  private readonly events: DapMessage[] = [];
  /** What the debuggee wrote, as debugpy forwards it in `output` events (console "internalConsole"). */
  private readonly outputs: { category: string; output: string }[] = [];
  private readonly eventWaiters: { event: string; resolve: (m: DapMessage) => void }[] = [];
  private stderr = '';
  private exited = false;

  private constructor(private readonly adapter: ChildProcessWithoutNullStreams) {
    adapter.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    adapter.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    adapter.on('exit', () => {
      this.exited = true;
      for (const { reject } of this.pending.values())
        reject(new Error(`debugpy adapter exited: ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Starts `python -m debugpy.adapter` in its own process group, ended with this process at the latest. */
  static start(python: string): DebugpyClient {
    const adapter = spawn(python, ['-m', 'debugpy.adapter'], { stdio: 'pipe', detached: true });
    // A run that dies before close() (a failed assertion, a timeout) must not leave the adapter behind.
    const endGroup = () => killProcessGroup(adapter, 'SIGKILL');
    process.once('exit', endGroup);
    adapter.once('exit', () => process.removeListener('exit', endGroup));
    return new DebugpyClient(adapter);
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.needed === undefined) {
        // Headers are short: joining what is buffered to find them costs little.
        const head = Buffer.concat(this.chunks);
        this.chunks.length = 0;
        this.chunks.push(head);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/Content-Length: (\d+)/i.exec(head.subarray(0, end).toString())?.[1]);
        this.headerLength = end + 4;
        this.needed = this.headerLength + length;
      }
      // A 30 MB response arrives in hundreds of chunks: join them once, when all are there.
      if (this.buffered < this.needed) return;
      const whole = Buffer.concat(this.chunks);
      const message = JSON.parse(
        whole.subarray(this.headerLength, this.needed).toString('utf8'),
      ) as DapMessage;
      const rest = whole.subarray(this.needed);
      this.chunks.length = 0;
      if (rest.length) this.chunks.push(rest);
      this.buffered = rest.length;
      this.needed = undefined;
      this.dispatch(message);
      if (!rest.length) return;
    }
  }

  private dispatch(message: DapMessage): void {
    if (message.type === 'response' && message.request_seq !== undefined) {
      this.pending.get(message.request_seq)?.resolve(message);
      this.pending.delete(message.request_seq);
    } else if (message.type === 'event') {
      if (message.event === 'output') {
        const { category = 'console', output = '' } = (message.body ?? {}) as {
          category?: string;
          output?: string;
        };
        this.outputs.push({ category, output });
      }
      const index = this.eventWaiters.findIndex((waiter) => waiter.event === message.event);
      if (index === -1) this.events.push(message);
      else this.eventWaiters.splice(index, 1)[0].resolve(message);
    } else if (message.type === 'request') {
      // Reverse requests (runInTerminal) are not used with console "internalConsole": refuse politely.
      this.send({
        seq: this.seq++,
        type: 'response',
        request_seq: message.seq,
        command: message.command,
        success: false,
      });
    }
  }

  private send(message: DapMessage | Record<string, unknown>): void {
    const json = Buffer.from(JSON.stringify(message), 'utf8');
    this.adapter.stdin.write(`Content-Length: ${json.length}\r\n\r\n`);
    this.adapter.stdin.write(json);
  }

  /** Sends a request; resolves with the response body, rejects on failure or after `timeoutMs`. */
  request<T = Record<string, unknown>>(command: string, args: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`debugpy adapter has exited: ${this.stderr}`));
    const seq = this.seq++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`${command} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, {
        resolve: (message) => {
          clearTimeout(timer);
          if (message.success) resolve((message.body ?? {}) as T);
          else reject(new Error(message.message ?? `${command} failed`));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send({ seq, type: 'request', command, arguments: args });
    });
  }

  waitForEvent(event: string, timeoutMs = 60_000): Promise<DapMessage> {
    const index = this.events.findIndex((message) => message.event === event);
    if (index !== -1) return Promise.resolve(this.events.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { event, resolve };
      const timer = setTimeout(() => {
        this.eventWaiters.splice(this.eventWaiters.indexOf(waiter), 1);
        reject(new Error(`no ${event} event within ${timeoutMs} ms; adapter stderr: ${this.stderr}`));
      }, timeoutMs);
      waiter.resolve = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.eventWaiters.push(waiter);
    });
  }

  /** Launches a program under debugpy and waits for its first stop; returns the stopped frame's id. */
  async launchUntilStopped(python: string, program: string, args: string[] = [], timeoutMs = 60_000) {
    await this.request('initialize', {
      clientID: 'async-toolkit-tests',
      adapterID: 'debugpy',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    const launched = this.request('launch', {
      program,
      args,
      python,
      console: 'internalConsole',
      justMyCode: true,
    });
    await this.waitForEvent('initialized', timeoutMs);
    await this.request('configurationDone', {});
    await launched;
    const stopped = await this.waitForEvent('stopped', timeoutMs);
    const threadId = Number(stopped.body?.threadId);
    const trace = await this.request<{ stackFrames: { id: number }[] }>('stackTrace', {
      threadId,
      startFrame: 0,
      levels: 1,
    });
    return { threadId, frameId: trace.stackFrames[0].id };
  }

  /** Evaluates in a frame; `rawString` as the Python source sends it. */
  async evaluate(frameId: number, expression: string, extra: Record<string, unknown> = {}): Promise<string> {
    const body = await this.request<{ result: string }>('evaluate', {
      expression,
      frameId,
      context: 'clipboard',
      format: { rawString: true },
      ...extra,
    });
    return body.result;
  }

  /** Everything the program wrote to stdout or stderr so far, per stream. */
  programOutput(): { stdout: string; stderr: string } {
    const of = (category: string) =>
      this.outputs
        .filter((entry) => entry.category === category)
        .map((entry) => entry.output)
        .join('');
    return { stdout: of('stdout'), stderr: of('stderr') };
  }

  /** Ends the debuggee and the adapter (by process group: the adapter starts the debuggee's launcher). */
  async close(): Promise<void> {
    try {
      if (!this.exited) await this.request('disconnect', { terminateDebuggee: true }, 5_000);
    } catch {
      // Gone already, or not answering: the kill below ends it either way.
    }
    if (!this.exited) killProcessGroup(this.adapter, 'SIGKILL');
  }
}
