// UUID version 7 (RFC 9562): a millisecond timestamp, then a counter, then random bits. Rows written in order get
// ids in order, so inserts append to the primary-key index instead of dirtying a random page of it per row; on the
// outbox and the history, that is most of what a commit writes.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = 0;
/** 12 bits after the timestamp count up within a millisecond, so ids from one process sort in creation order. */
let counter = 0;

export function uuidv7(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = bytes[7] & 0x3ff; // start low in the 12-bit range, leaving room to count up
  } else {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      ms = lastMs += 1;
      counter = 0;
    }
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
