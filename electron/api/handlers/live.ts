import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordPredictions } from '../../store/index.ts';
import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError } from '../transport/errors.ts';
import { LiveStream } from '../services/live/live-stream.ts';

/** A stream no one has pushed to for this long was abandoned (a closed tab): it is dropped. */
const IDLE_MS = 2 * 60_000;
const MAX_STREAMS = 4;

/** Little-endian float32 samples from base64, refused unless whole and finite. */
function decodeSamples(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new ApiError('invalid_input', `samples: ${bytes.length} bytes is not a whole number of float32 samples`);
  const samples = new Float32Array(bytes.length / 4);
  for (let i = 0; i < samples.length; i++) {
    const x = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(x)) throw new ApiError('invalid_input', `samples: sample ${i} is not a finite number`);
    samples[i] = x;
  }
  return samples;
}

/** Saves a recorded stream as a WAV file in the library folder `folder`, with its windows' predictions; returns the recording's id. */
async function saveRecording(c: ServiceContext, stream: LiveStream, folder: string): Promise<number> {
  const name = `live-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`;
  const target = c.paths.writablePath(join(folder, name), false, '.wav');
  await writeFile(target, stream.wav(), { flag: 'wx' });
  try {
    const stored = await recordPredictions(c.db, { model: stream.model.spec, runId: randomUUID(), file: target, windows: stream.windowPredictions() });
    return stored.recording.id;
  } catch (err) {
    await rm(target, { force: true });
    throw err;
  }
}

export function liveHandlers(c: ServiceContext): Pick<ApiHandlers, 'live.start' | 'live.push' | 'live.stop'> {
  const streams = new Map<string, LiveStream>();
  const sweep = () => {
    for (const [id, stream] of streams) {
      if (Date.now() - stream.lastUsed > IDLE_MS) {
        stream.dispose();
        streams.delete(id);
      }
    }
  };
  const streamOf = (streamId: string) => {
    sweep();
    const stream = streams.get(streamId);
    if (!stream) throw new ApiError('not_found', `no live stream ${streamId} (stopped, or idle for more than ${IDLE_MS / 60_000} minutes)`);
    return stream;
  };
  return {
    'live.start': async ({ sampleRate, record }) => {
      sweep();
      if (streams.size >= MAX_STREAMS) throw new ApiError('conflict', `${MAX_STREAMS} live streams are open already: stop one first`);
      // The model is loaded before the stream opens, so the first window is not also the one that waits for it.
      await c.classifier.start();
      const stream = await LiveStream.open(c.model, c.classifier, sampleRate, record);
      const streamId = randomUUID();
      streams.set(streamId, stream);
      return { streamId, labels: stream.model.metadata.labels };
    },
    'live.push': async ({ streamId, samples }) => {
      const stream = streamOf(streamId);
      if (stream.model.id !== c.model.id) throw new ApiError('conflict', 'the active model changed: start the live stream again');
      return { windows: await stream.push(decodeSamples(samples)), labels: stream.model.metadata.labels };
    },
    'live.stop': async ({ streamId, folder }) => {
      const stream = streamOf(streamId);
      streams.delete(streamId);
      if (!stream.record || folder === undefined) {
        stream.dispose();
        return { recordingId: null };
      }
      await stream.finish();
      const recordingId = await saveRecording(c, stream, folder);
      c.events.emit({ type: 'library.changed' });
      return { recordingId };
    },
  };
}
