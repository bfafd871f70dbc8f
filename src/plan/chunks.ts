// The chunks the scanner still needs: those holding part of a value it will hand out by offset.
// Everything before the oldest such value is let go after each push, so memory stays flat.

import { Buffer } from 'node:buffer';

const EMPTY = Buffer.alloc(0);

export class Chunks {
  /** Chunks still held from index `head` on (earlier entries are emptied, compacted now and then). */
  private list: Buffer[] = [];
  private starts: number[] = [];
  private head = 0;

  /** A chunk scanned from global offset `start`. */
  add(chunk: Buffer, start: number): void {
    this.list.push(chunk);
    this.starts.push(start);
  }

  /** The bytes `[start, end)` (global offsets), which must still be held. */
  bytes(start: number, end: number): Buffer {
    const { list, starts } = this;
    let k = list.length - 1;
    while (k > this.head && starts[k]! > start) k--;
    const first = list[k]!;
    const from = start - starts[k]!;
    if (from < 0 || k < this.head) throw new Error(`chunks: bytes ${start}..${end} were released`);
    if (end - starts[k]! <= first.length) return first.subarray(from, end - starts[k]!);
    const parts = [first.subarray(from)];
    for (k++; k < list.length && starts[k]! < end; k++) {
      const chunk = list[k]!;
      parts.push(chunk.subarray(0, Math.min(chunk.length, end - starts[k]!)));
    }
    return Buffer.concat(parts, end - start);
  }

  /** Lets go of every byte before global offset `keep` (Infinity: all of them). */
  release(keep: number): void {
    const { list, starts } = this;
    let head = this.head;
    while (head < list.length && starts[head]! + list[head]!.length <= keep) list[head++] = EMPTY;
    if (head === list.length) {
      this.list = [];
      this.starts = [];
      this.head = 0;
      return;
    }
    // The caller may reuse the memory of the chunk it pushed last: keep a copy of the part needed.
    const last = list.length - 1;
    const from = Math.max(0, keep - starts[last]!);
    list[last] = Buffer.from(list[last]!.subarray(from));
    starts[last] = starts[last]! + from;
    if (head > 256 && head * 2 > list.length) {
      this.list = list.slice(head);
      this.starts = starts.slice(head);
      head = 0;
    }
    this.head = head;
  }
}
