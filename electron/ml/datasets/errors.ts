/** A data set cannot be read at all (no folder, no audio, an unreadable labels CSV, no convention that fits), as opposed to single files, which are rejected with a reason. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}
