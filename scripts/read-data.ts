// Reads the bytes of a user's data file for the command: a regular file only, and no more than a limit a flag can raise.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The bytes of the file at `path`, or an Error naming `flag` and the path: a directory, a device
 * (/dev/zero), a FIFO or a socket is refused before reading, and so is a file larger than `maxBytes`
 * (`limitFlag` raises it). The read stops at maxBytes + 1 whatever the size the file claims, so a file
 * that grows, or one of /proc that says 0, cannot make it read without end.
 */
export function readDataFile(path: string, maxBytes: number, flag = '--data', limitFlag = '--max-bytes'): Uint8Array {
  // NOTE: non-blocking, or opening a FIFO would wait for a writer before we could refuse it.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isFIFO() ? 'a pipe (FIFO)' : 'not a regular file';
      throw new Error(`${flag} ${path} is ${kind}; a CSV file is expected`);
    }
    const tooBig = (): Error =>
      new Error(`${flag} ${path} is larger than ${maxBytes} bytes (${(maxBytes / 2 ** 20).toFixed(0)} MiB); pass ${limitFlag} N to read more`);
    if (stat.size > maxBytes) throw tooBig();
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooBig();
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw tooBig();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } finally {
    closeSync(fd);
  }
}
