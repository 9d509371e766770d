// Ids for the picture's boxes that stay the same from one snapshot to the next for the same path of
// frames, so that what the user expanded or focused survives a refresh. A box's id hashes its parent's
// id with its own key: computing it is O(1) per box however deep the stack is.

/** FNV-1a over UTF-16 code units, with a chosen offset basis: two bases give 64 bits of hash. */
function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function childId(parentId: string, key: string): string {
  const text = `${parentId}\u0001${key}`;
  return fnv1a(text, 0x811c9dc5).toString(36) + fnv1a(text, 0x2f1a5b67).toString(36).padStart(7, '0');
}
