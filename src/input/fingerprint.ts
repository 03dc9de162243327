/** 64-bit fingerprints of ticket ids, so duplicates are found without keeping the ids themselves. */

/** The 64-bit fingerprint of a ticket id, as two 32-bit halves in `out` (low word first). */
export function hashId(id: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  out[0] = a >>> 0;
  out[1] = (b ^ (b >>> 16)) >>> 0;
}
