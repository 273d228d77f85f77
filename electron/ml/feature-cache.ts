/**
 * On-disk cache of model-input features, so a clip and each of its augmented copies are decoded,
 * augmented and turned into a log-mel once, and a second training run starts in seconds.
 *
 * An entry is keyed by sha256 over everything its values depend on: the file's content (not its
 * name or date), the feature settings, the training-window strategy, the augmentation's concrete
 * parameters and the pipeline's version. One file per entry, written atomically (temp + rename);
 * a header with the key, the value count and a CRC-32 of the values catches truncated, corrupt or
 * misplaced files, which are recomputed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { applyAugmentation, type Augmentation } from '../audio/augment/index.ts';
import { decodeFile } from '../audio/decode.ts';
import { LogMelExtractor } from '../audio/mel.ts';
import { toModelInput } from '../audio/model-input.ts';
import { DEFAULT_RESAMPLE_QUALITY } from '../audio/resample.ts';
import type { FeatureSettings } from '../audio/settings.ts';
import { trainingWindow, type TrainingWindowStrategy } from '../audio/training-window.ts';

/**
 * Bump when the code between a file's bytes and its features changes (decoding, resampling,
 * augmentation, windowing, log-mel, normalisation) so old entries stop matching.
 */
export const FEATURE_PIPELINE_VERSION = 1;

/** How a clip becomes one model input; augmented copies add an Augmentation. */
export interface FeatureRecipe {
  settings: FeatureSettings;
  window: TrainingWindowStrategy;
}

export interface FeatureCacheStats {
  hits: number;
  misses: number;
  /** Entries found damaged (truncated, corrupt, wrong key) and recomputed. */
  recovered: number;
}

const MAGIC = 0x46524553; // "SERF" read as a little-endian u32
const FORMAT_VERSION = 1;
const HEADER_BYTES = 48;

/**
 * The cache folder when the caller names none: $SER_CACHE_DIR, else the platform's per-user cache
 * folder (the Electron app passes its own app-data path instead).
 */
export function defaultFeatureCacheDir(): string {
  if (process.env.SER_CACHE_DIR) return join(process.env.SER_CACHE_DIR, 'features');
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'ser-studio', 'Cache', 'features');
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'ser-studio', 'features');
  return join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'ser-studio', 'features');
}

/** sha256 of a file's bytes, streamed. */
export async function fileContentHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** JSON with object keys sorted, so equal settings give equal keys whatever order their fields were written in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class FeatureCache {
  readonly stats: FeatureCacheStats = { hits: 0, misses: 0, recovered: 0 };
  private readonly hashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();
  private readonly extractors = new Map<string, LogMelExtractor>();

  constructor(readonly dir: string = defaultFeatureCacheDir()) {}

  /**
   * The model input (toModelInput of the training window's log-mel) of the clip as recorded (null)
   * and of each augmented copy, in the order asked. The clip is decoded at most once, and only when
   * some entry is missing. Augmentation applies to the whole clip, before the window is cut. A file
   * that cannot be decoded throws its AudioDecodeError.
   */
  async features(path: string, recipe: FeatureRecipe, copies: readonly (Augmentation | null)[] = [null]): Promise<Float32Array[]> {
    const content = await this.contentHash(path);
    const keys = copies.map((augmentation) => this.key(content, recipe, augmentation));
    const out = await Promise.all(keys.map((key) => this.read(key)));
    let clip: Float32Array | undefined;
    for (const [i, key] of keys.entries()) {
      if (out[i]) {
        this.stats.hits++;
        continue;
      }
      this.stats.misses++;
      const { settings } = recipe;
      clip ??= (await decodeFile(path, { targetRate: settings.sampleRate, quality: DEFAULT_RESAMPLE_QUALITY })).samples;
      const augmentation = copies[i];
      const samples = augmentation ? await applyAugmentation(clip, settings.sampleRate, augmentation) : clip;
      const mel = this.extractor(settings).compute(trainingWindow(samples, settings, recipe.window, augmentation?.cropPosition));
      const values = toModelInput(mel, settings.normalisation);
      await this.write(key, values);
      out[i] = values;
    }
    return out as Float32Array[];
  }

  /** The entry's name: sha256 over its inputs, hex. */
  private key(contentHash: string, recipe: FeatureRecipe, augmentation: Augmentation | null): string {
    const inputs = {
      pipeline: FEATURE_PIPELINE_VERSION,
      content: contentHash,
      resampleQuality: DEFAULT_RESAMPLE_QUALITY,
      settings: recipe.settings,
      window: recipe.window,
      augmentation,
    };
    return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
  }

  /** Two hex digits of fan-out keep folders small for large data sets. */
  private entryPath(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  /** A file's content hash, remembered while its size and modification time stay the same. */
  private async contentHash(path: string): Promise<string> {
    const { size, mtimeMs } = await stat(path);
    const known = this.hashes.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.hash;
    const hash = await fileContentHash(path);
    this.hashes.set(path, { size, mtimeMs, hash });
    return hash;
  }

  private extractor(settings: FeatureSettings): LogMelExtractor {
    const id = canonicalJson(settings);
    let extractor = this.extractors.get(id);
    if (!extractor) {
      extractor = new LogMelExtractor(settings);
      this.extractors.set(id, extractor);
    }
    return extractor;
  }

  /** The entry's values, or undefined when it is missing or damaged. */
  private async read(key: string): Promise<Float32Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.entryPath(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const values = decodeEntry(bytes, key);
    if (!values) this.stats.recovered++;
    return values;
  }

  private async write(key: string, values: Float32Array): Promise<void> {
    const path = this.entryPath(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temp, encodeEntry(key, values));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function payloadBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Header (little-endian): magic, format version, the key's 32 bytes, value count, CRC-32 of the
 * values; then the float32 values in the platform's byte order (little-endian wherever the app runs).
 */
function encodeEntry(key: string, values: Float32Array): Buffer {
  const payload = payloadBytes(values);
  const out = Buffer.alloc(HEADER_BYTES + payload.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.write(key, 8, 32, 'hex');
  out.writeUInt32LE(values.length, 40);
  out.writeUInt32LE(crc32(payload), 44);
  out.set(payload, HEADER_BYTES);
  return out;
}

function decodeEntry(bytes: Buffer, key: string): Float32Array | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  if (bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT_VERSION) return undefined;
  if (bytes.toString('hex', 8, 40) !== key) return undefined;
  const count = bytes.readUInt32LE(40);
  if (bytes.length !== HEADER_BYTES + count * 4) return undefined;
  // A copy: the Buffer may sit at an offset not aligned for a Float32Array view.
  const values = new Float32Array(count);
  const payload = payloadBytes(values);
  payload.set(bytes.subarray(HEADER_BYTES));
  return crc32(payload) === bytes.readUInt32LE(44) ? values : undefined;
}
