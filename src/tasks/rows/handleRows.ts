// "Keeping the program alive": one row per kind of handle, alike handles (same type, description and
// site) counted on one row, so that twenty "setTimeout 5 ms" read as one line ×20.
import type { Handle } from '../../snapshot/format';
import type { HandleRow, HandlesRow } from './rowTypes';

export function handleRows(parent: HandlesRow, handles: readonly Handle[]): HandleRow[] {
  const rows = new Map<string, HandleRow>();
  for (const handle of handles) {
    const site = handle.site ? `${handle.site.file}:${handle.site.line}` : '';
    const key = `${handle.type}|${handle.description}|${site}`;
    const row = rows.get(key);
    if (row) row.count += 1;
    else
      rows.set(key, {
        kind: 'handle',
        id: `${parent.id}/${handle.id}`,
        sessionId: parent.sessionId,
        parent,
        handle,
        count: 1,
      });
  }
  return [...rows.values()];
}
