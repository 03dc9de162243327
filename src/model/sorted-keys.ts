/**
 * Sorted 64-bit keys (with 32-bit payloads) handed from one owner to another, between threads too
 * (plain data): sorted runs in files, oldest first, and the folders holding them — nothing of them
 * held in memory on the way — or, from an owner that keeps them in memory, the records as columns
 * in key order. The taker merges them (equal keys in the order added) and removes the files.
 */
export interface HandedKeys {
  files: string[];
  dirs: string[];
  records?: { hi: Uint32Array; lo: Uint32Array; pay: Uint32Array };
}
