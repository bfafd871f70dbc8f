// Streams a plan file from disk through the reader in 1 MiB chunks, for tests and the bench (the
// CLI does its own I/O). The only file-system access of the load stage.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import type { PlanDocument } from './types';
import { createPlanReader, type PlanReaderOptions } from './reader';
import { directoryError } from './messages';
import { UserError } from '../errors';

const CHUNK_BYTES = 1 << 20;

/** `chunkBytes`: the size of each read (1 MiB by default). */
export function loadPlanFile(path: string, options: PlanReaderOptions & { chunkBytes?: number } = {}): PlanDocument {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
    throw new UserError(path, '', `cannot open the file (${reason})`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw directoryError(path);
    const reader = createPlanReader(path, { ...options, sizeBytes: stat.size });
    // One buffer for every read: the reader copies what it keeps.
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      reader.push(buffer.subarray(0, read));
    }
    return reader.end();
  } finally {
    closeSync(fd);
  }
}
