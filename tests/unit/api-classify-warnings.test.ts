/**
 * Decode warnings reach the API (issue 16 item 13): a library recording whose WAV header declares
 * twice the data the file holds is classified from what is there, and classify.start's result says so.
 */
import { mkdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiFixture, writeSine } from '../helpers/api-fixtures.ts';

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
});
