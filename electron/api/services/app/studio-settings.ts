/**
 * The workshop's few settings that outlive a session (the active model, the bundled model's
 * display name, the reports it wrote), as one small JSON file in the data folder: written whole under a temporary name
 * and renamed, so a crash leaves the old file or the new one, never half of one.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';

const SettingsSchema = z.object({
  /** A model id of the registry; absent: the bundled model. */
  activeModel: z.string().optional(),
  /** Display names that override a model's own (the bundled model's folder is read-only). */
  names: z.record(z.string(), z.string()).optional(),
  /** The CSV reports this app has written (real paths): the only existing files an export may replace. */
  exports: z.array(z.string()).optional(),
});

export type StudioSettings = z.infer<typeof SettingsSchema>;

export class SettingsFile {
  private settings: StudioSettings;

  /** A missing or unreadable file gives the defaults: settings are a convenience, never a reason not to start. */
  constructor(
    readonly path: string,
    log: (message: string) => void,
  ) {
    let raw: unknown = {};
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`${path}: unreadable settings, using the defaults (${(err as Error).message})`);
    }
    const parsed = SettingsSchema.safeParse(raw);
    this.settings = parsed.success ? parsed.data : {};
  }

  get(): Readonly<StudioSettings> {
    return this.settings;
  }

  async update(change: (settings: StudioSettings) => StudioSettings): Promise<void> {
    const next = SettingsSchema.parse(change(structuredClone(this.settings)));
    await writeFile(`${this.path}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
    await rename(`${this.path}.tmp`, this.path);
    this.settings = next;
  }
}
