/**
 * The catalogue of project flavours. Ids and entry points are public API: other extensions and the
 * CLI pass ids, and generated READMEs and tests rely on the entry points.
 */
export type FlavourId =
  | 'python-trio'
  | 'python-asyncio-streams'
  | 'python-asyncio-protocol'
  | 'python-threading'
  | 'node-typescript';

export interface Flavour {
  readonly id: FlavourId;
  /** Shown in the quick pick. */
  readonly label: string;
  /** One line under the label. */
  readonly description: string;
  readonly runtime: 'python' | 'node';
  /**
   * Folders under `templates/` copied in order; a later layer's file replaces an earlier one's at the
   * same path. Python flavours share their tests, launch configurations and ignore file.
   */
  readonly templateLayers: readonly string[];
  /** How to start the server and the client from the project root (`--port N` may follow). */
  readonly serverCommand: string;
  readonly clientCommand: string;
  /** Run once before the entry points work (empty when nothing needs installing). */
  readonly setupCommand: string;
  readonly testCommand: string;
}

const pythonEntryPoints = {
  runtime: 'python',
  serverCommand: 'python3 server.py',
  clientCommand: 'python3 client.py',
  testCommand: 'python3 -m pytest',
} as const;

export const flavours: readonly Flavour[] = [
  {
    id: 'python-trio',
    label: 'Python · trio',
    description:
      'Structured concurrency: trio.serve_tcp, a task per connection, sender and receiver in a nursery',
    templateLayers: ['python-common', 'python-trio'],
    setupCommand: 'python3 -m pip install -r requirements.txt',
    ...pythonEntryPoints,
  },
  {
    id: 'python-asyncio-streams',
    label: 'Python · asyncio streams',
    description: 'asyncio.start_server and open_connection, a TaskGroup in the client',
    templateLayers: ['python-common', 'python-asyncio-streams'],
    setupCommand: '',
    ...pythonEntryPoints,
  },
  {
    id: 'python-asyncio-protocol',
    label: 'Python · asyncio protocol',
    description: 'The low-level API: asyncio.Protocol, transports and flow control',
    templateLayers: ['python-common', 'python-asyncio-protocol'],
    setupCommand: '',
    ...pythonEntryPoints,
  },
  {
    id: 'python-threading',
    label: 'Python · threading',
    description: 'socketserver.ThreadingTCPServer and a threaded client joined by a queue.Queue',
    templateLayers: ['python-common', 'python-threading'],
    setupCommand: '',
    ...pythonEntryPoints,
  },
  {
    id: 'node-typescript',
    label: 'Node.js · TypeScript',
    description: 'node:net server and client with async iteration over the socket, built with tsc',
    templateLayers: ['node-typescript'],
    runtime: 'node',
    setupCommand: 'npm install',
    serverCommand: 'npm run server --',
    clientCommand: 'npm run client --',
    testCommand: 'npm test',
  },
];

export function findFlavour(id: string): Flavour | undefined {
  return flavours.find((flavour) => flavour.id === id);
}

/** The values the templates are written with: a template is the project generated with these. */
export const templateSampleValues = { name: 'echo-project', port: 12345 } as const;

export const defaultPort = templateSampleValues.port;
