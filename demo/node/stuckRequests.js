// A small order service with a bug to find in the Async Tasks view.
//
// Each order looks up its customer, then waits for the warehouse to confirm the stock. The warehouse
// only answers for items it knows; for the others nobody ever resolves the promise, so those orders
// hang forever — and pile up as the service keeps taking orders. Start "Node: stuck requests", let
// it pause at `debugger;`, and open the Async Tasks view: "N × waitForWarehouse ← placeOrder" holds
// every stuck order, each an operation waiting on a promise whose resolver nobody calls; expand one
// to see its stack, and select a frame to open its line. Continue, let it pause again, and
// "Compare with Previous Snapshot" shows the stuck orders keep growing.

const http = require('node:http');

const knownItems = new Set(['apple', 'pear']);
/** Replies the warehouse still owes, by order id: each one keeps its order's promise alive. */
const awaitingWarehouse = new Map();

function waitForWarehouse(orderId, item) {
  return new Promise((resolve) => {
    awaitingWarehouse.set(orderId, resolve);
    if (knownItems.has(item)) setTimeout(() => resolve(`${item} in stock`), 20);
    // Bug: unknown items are never answered, and nothing times out.
  });
}

async function lookUpCustomer(customerId) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { id: customerId, name: `customer ${customerId}` };
}

async function placeOrder(orderId, item) {
  const customer = await lookUpCustomer(orderId % 7);
  const stock = await waitForWarehouse(orderId, item);
  awaitingWarehouse.delete(orderId);
  return `${customer.name}: ${stock}`;
}

async function refreshPrices() {
  for (;;) await new Promise((resolve) => setTimeout(resolve, 1000));
}

const items = ['apple', 'pear', 'durian', 'quince'];
let nextOrder = 0;
function takeOrders(count) {
  for (let i = 0; i < count; i++) {
    const orderId = nextOrder++;
    placeOrder(orderId, items[orderId % items.length]).catch((error) => console.error(error));
  }
}

const server = http.createServer((_request, response) => {
  takeOrders(1);
  response.end(`order ${nextOrder - 1} taken\n`);
});

server.listen(0, '127.0.0.1', () => {
  console.log(`orders service on http://127.0.0.1:${server.address().port}`);
  refreshPrices();
  takeOrders(40);
  const ticker = setInterval(() => {
    takeOrders(20);
    // Look now: about half of the orders wait for the warehouse forever.
    debugger;
  }, 200);
  // Stop by itself after a while so a forgotten demo does not run forever.
  setTimeout(() => {
    clearInterval(ticker);
    server.close();
    process.exit(0);
  }, 120_000).unref();
});
