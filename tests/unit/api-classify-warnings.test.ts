/**
 * Decode warnings reach the API (issue 16 item 13): a library recording whose WAV header declares
 * twice the data the file holds is classified from what is there, classify.start's result says so,
 * and the store keeps the latest run's warnings for recordings.list and recordings.get.
 */
import { mkdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile, insertPredictions } from '../../electron/store/index.ts';
import { apiFixture, writeSine } from '../helpers/api-fixtures.ts';
import { MODEL, window } from '../helpers/store-fixtures.ts';

const f = await apiFixture('ser-api-classify-warnings-');
const folder = join(f.dir, 'clips');
mkdirSync(folder);
writeSine(join(folder, 'sound.wav'), 300, 2);
// Half the samples, under a header that still declares 2 s.
const cut = writeSine(join(folder, 'cut.wav'), 600, 2);
truncateSync(cut, 44 + (statSync(cut).size - 44) / 2);
const added = await f.call('library.add', { path: folder });
expect((await f.log.end(added.jobId)).type).toBe('job.finished');
const recordings = await f.call('recordings.list', { search: 'clips' });
const id = (name: string) => recordings.find((r) => r.path.endsWith(name))?.id as number;

describe('classify.start on a truncated recording', () => {
  it('classifies it and lists its warning by recording in the result, for whole files and stretches', async () => {
    const whole = await f.call('classify.start', { recordingIds: [id('sound.wav'), id('cut.wav')] });
    expect(await f.log.end(whole.jobId, 120_000)).toMatchObject({
      type: 'job.finished',
      result: { classified: 2, failed: [], warnings: [{ recordingId: id('cut.wav'), warning: 'truncated: 1.0 s of 2.0 s' }] },
    });
    const stretch = await f.call('classify.start', { recordingIds: [id('cut.wav')], startSec: 0, endSec: 0.8 });
    expect(await f.log.end(stretch.jobId, 120_000)).toMatchObject({
      result: { classified: 1, warnings: [{ recordingId: id('cut.wav'), warning: 'truncated: 1.0 s of 2.0 s' }] },
    });
  });

  it('keeps the latest run\'s warnings with the recording: listed for the truncated file, none for the intact one', async () => {
    const listed = async () => new Map((await f.call('recordings.list', { search: 'clips' })).map((r) => [r.name, r.warnings]));
    expect(await listed()).toEqual(new Map([['cut.wav', ['truncated: 1.0 s of 2.0 s']], ['sound.wav', []]]));
    expect((await f.call('recordings.get', { id: id('cut.wav') })).warnings).toEqual(['truncated: 1.0 s of 2.0 s']);
    const intact = await f.call('classify.start', { recordingIds: [id('sound.wav')] });
    expect(await f.log.end(intact.jobId, 120_000)).toMatchObject({ type: 'job.finished', result: { classified: 1, failed: [] } });
    expect((await f.call('recordings.get', { id: id('sound.wav') })).warnings).toEqual([]);
  });

  it('clears them when a later run of the same file (here one recorded straight into the store) decoded it cleanly', async () => {
    const path = recordings.find((r) => r.id === id('cut.wav'))!.path;
    const later = { recording: { path, ...(await hashFile(path)) }, windows: [window(0, 'calm', 0.7)], warnings: [] };
    insertPredictions(f.db, { model: MODEL, runId: 'a-clean-run', files: [later] });
    expect((await f.call('recordings.get', { id: id('cut.wav') })).warnings).toEqual([]);
  });
});
