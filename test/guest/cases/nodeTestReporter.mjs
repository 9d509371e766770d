// A `node:test` reporter for the guest suite: test names, outcomes and failure messages, no durations
// (which differ from run to run).
export default async function* report(source) {
  for await (const event of source) {
    if (event.type === 'test:pass') yield `ok ${event.data.name}\n`;
    if (event.type === 'test:fail') {
      const error = event.data.details?.error;
      const message = String(error?.cause?.message ?? error?.message ?? error);
      yield `not ok ${event.data.name}\n${message}\n`;
    }
  }
}
