// The program of the events.once benchmark: a ws server whose connection handler awaits each peer's
// first message with `events.once(socket, 'message')`; N clients connect (25 every 60 ms, so that
// every wait gets a stack within the capture budget) and never send. Once all are open it takes
// SNAPSHOTS snapshots in the default grouping and prints one JSON line: their times and the group's
// awaiting text (which says whether the emitters were read).
//   node --require dist/agent.js scripts/bench/lib/webSocketClientsWaiting.cjs [N] [SNAPSHOTS]
const { once } = require('node:events');
const { WebSocket, WebSocketServer } = require('ws');

const clients = Number(process.argv[2] || 1000);
const snapshots = Number(process.argv[3] || 3);

async function greet(socket) {
  await once(socket, 'message');
}

function measure() {
  const times = [];
  let awaiting = '';
  for (let index = 0; index < snapshots; index++) {
    const started = performance.now();
    const snapshot = globalThis.__asyncToolkit.snapshot({});
    times.push(performance.now() - started);
    awaiting = snapshot.groups?.[0]?.awaiting ?? '';
  }
  process.stdout.write(`${JSON.stringify({ times, awaiting })}\n`);
  process.exit(0);
}

const open = [];
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
  const { port } = server.address();
  let made = 0;
  const batch = () => {
    for (let index = 0; index < 25 && made < clients; index++, made++) {
      const client = new WebSocket(`ws://127.0.0.1:${port}`);
      client.on('open', () => {
        open.push(client);
        if (open.length === clients) setTimeout(measure, 300);
      });
    }
    if (made < clients) setTimeout(batch, 60);
  };
  batch();
});
server.on('connection', (socket) => greet(socket));
