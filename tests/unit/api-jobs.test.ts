import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/transport/contract.ts';
import { ApiError } from '../../electron/api/transport/errors.ts';
import { ApiEventBus } from '../../electron/api/transport/events.ts';
import { JobRunner } from '../../electron/api/services/jobs/jobs.ts';

function runner(intervalMs = 50) {
  const events = new ApiEventBus();
  const seen: ApiEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const logged: string[] = [];
  return { jobs: new JobRunner(events, (m) => logged.push(m), intervalMs), seen, logged };
}

const ended = (seen: ApiEvent[], jobId: string) =>
  new Promise<ApiEvent>((resolve) => {
    const poll = () => {
      const end = seen.find((e) => (e.type === 'job.finished' || e.type === 'job.failed') && e.jobId === jobId);
      if (end) resolve(end);
      else setTimeout(poll, 5);
    };
    poll();
  });

describe('JobRunner', () => {
  it('throttles progress to one event per interval, never losing the last one', async () => {
    const { jobs, seen } = runner(50);
    const started = Date.now();
    const jobId = jobs.start('import', async (job) => {
      for (let i = 1; i <= 300; i++) {
        job.progress(i, 300, `file ${i}`);
        if (i % 10 === 0) await sleep(2);
      }
      return { added: 300, alreadyKnown: 0, failed: [] };
    });
    expect(seen).toEqual([]); // nothing before the caller has the id
    await ended(seen, jobId);
    const elapsed = Date.now() - started;
    const progress = seen.filter((e) => e.type === 'job.progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // The first at once, then at most one per 50 ms, plus the final flush.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    const done = progress.map((e) => (e.type === 'job.progress' ? e.done : 0));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress[0]).toMatchObject({ done: 1, total: 300, message: 'file 1' });
    expect(progress.at(-1)).toMatchObject({ done: 300, message: 'file 300' });
    expect(seen.slice(-2)).toEqual([
      { type: 'job.finished', jobId, kind: 'import', result: { added: 300, alreadyKnown: 0, failed: [] } },
      { type: 'library.changed' },
    ]);
  });

  it('cancels through the signal and reports the job as cancelled', async () => {
    const { jobs, seen } = runner();
    const jobId = jobs.start('classify', async (job) => {
      await new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason)));
      return { classified: 0, failed: [] };
    });
    await sleep(5);
    jobs.cancel(jobId);
    expect(await ended(seen, jobId)).toMatchObject({ type: 'job.failed', kind: 'classify', error: { code: 'cancelled' } });
    expect(() => jobs.cancel(jobId)).toThrow(ApiError);
  });

  it('reports a failure with its API error, and a bug as internal without its stack', async () => {
    const { jobs, seen, logged } = runner();
    const known = jobs.start('import', async () => {
      throw new ApiError('forbidden_path', '/x is outside the library');
    });
    expect(await ended(seen, known)).toMatchObject({ type: 'job.failed', error: { code: 'forbidden_path', message: '/x is outside the library' } });
    const bug = jobs.start('import', async () => {
      throw new RangeError('index out of range');
    });
    expect(await ended(seen, bug)).toMatchObject({ type: 'job.failed', error: { code: 'internal', message: 'internal error: index out of range' } });
    expect(logged.join('\n')).toMatch(/RangeError: index out of range\n\s+at /);
  });

  it('close() cancels running jobs and waits for them', async () => {
    const { jobs, seen } = runner();
    let stopped = false;
    const jobId = jobs.start('import', (job) => new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => ((stopped = true), reject(new Error('aborted'))))));
    await sleep(5);
    await jobs.close();
    expect(stopped).toBe(true);
    expect(seen.find((e) => e.type === 'job.failed' && e.jobId === jobId)).toMatchObject({ error: { code: 'cancelled' } });
  });

  it('answers jobs.status with the latest progress while running, then with the outcome its event carried', async () => {
    const { jobs, seen } = runner(1000);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobId = jobs.start('import', async (job) => {
      job.progress(1, 4, 'a.wav');
      job.progress(3, 4, 'c.wav'); // throttled: no event yet, but the status knows
      await gate;
      return { added: 4, alreadyKnown: 0, failed: [] };
    });
    await sleep(5);
    expect(jobs.status(jobId)).toEqual({ state: 'running', kind: 'import', done: 3, total: 4, message: 'c.wav' });
    release();
    const end = await ended(seen, jobId);
    expect(jobs.status(jobId)).toEqual({ state: 'finished', kind: 'import', result: end.type === 'job.finished' ? end.result : null });

    const failing = jobs.start('classify', async () => {
      throw new ApiError('conflict', 'no model');
    });
    await ended(seen, failing);
    expect(jobs.status(failing)).toEqual({ state: 'failed', kind: 'classify', error: { code: 'conflict', message: 'no model' } });
    expect(() => jobs.status('no-such-job')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('forgets the oldest outcomes beyond the last hundred', async () => {
    const { jobs, seen } = runner();
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push(jobs.start('import', async () => ({ added: i, alreadyKnown: 0, failed: [] })));
    await ended(seen, ids[100]);
    expect(() => jobs.status(ids[0])).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(jobs.status(ids[1])).toMatchObject({ state: 'finished', result: { added: 1 } });
    expect(jobs.status(ids[100])).toMatchObject({ state: 'finished', result: { added: 100 } });
  });
});
