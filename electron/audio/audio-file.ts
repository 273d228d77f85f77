import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { unreadableError } from './errors.ts';

/** Bytes per read: large enough to keep syscalls rare, small enough that a 2-hour file never sits in memory. */
export const READ_BYTES = 1 << 20;

/** A file opened for bounded, positioned reads; every OS error becomes an 'unreadable' AudioDecodeError. */
export class AudioFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<AudioFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw unreadableError(path, err);
    }
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      return new AudioFile(path, handle, stats.size);
    } catch (err) {
      await handle.close();
      throw unreadableError(path, err);
    }
  }

  /** Up to `length` bytes from `position`; fewer at the end of the file. */
  async read(position: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(Math.max(0, Math.min(length, this.size - position)));
    return this.readInto(buffer, position);
  }

  /** Fills `buffer` from `position` on (a pass over a long file reuses one buffer); the part filled, shorter at the end of the file. */
  async readInto(buffer: Uint8Array, position: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(buffer.length, this.size - position));
    let filled = 0;
    try {
      while (filled < wanted) {
        const { bytesRead } = await this.handle.read(buffer, filled, wanted - filled, position + filled);
        if (bytesRead === 0) break; // the file shrank while we read it
        filled += bytesRead;
      }
    } catch (err) {
      throw unreadableError(this.path, err);
    }
    return buffer.subarray(0, filled);
  }

  /**
   * `read` without the round trip through libuv's threads: for the many short reads (a few KB from
   * the page cache, microseconds each) of a caller that computes on the main thread anyway, whose
   * waits for a busy thread pool cost more than the reads.
   */
  readNow(position: number, length: number): Uint8Array {
    const buffer = new Uint8Array(Math.max(0, Math.min(length, this.size - position)));
    let filled = 0;
    try {
      while (filled < buffer.length) {
        const bytesRead = readSync(this.handle.fd, buffer, filled, buffer.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (err) {
      throw unreadableError(this.path, err);
    }
    return buffer.subarray(0, filled);
  }

  /** Consecutive reads of `chunkBytes` from `start` up to `end` (exclusive). */
  async *chunks(start: number, end = this.size, chunkBytes = READ_BYTES): AsyncGenerator<Uint8Array> {
    for (let position = start; position < end; ) {
      const bytes = await this.read(position, Math.min(chunkBytes, end - position));
      if (bytes.length === 0) return;
      position += bytes.length;
      yield bytes;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
