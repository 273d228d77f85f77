import { describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../electron/audio/errors.ts';
import type { ApiHandlers } from '../../electron/api/transport/contract.ts';
import { createDispatcher } from '../../electron/api/transport/dispatch.ts';
import { ApiError } from '../../electron/api/transport/errors.ts';
import { ModelLoadError } from '../../electron/ml/model-store.ts';
import { StoreError } from '../../electron/store/index.ts';

/** Handlers where every method answers with `answer(method, input)`. */
function handlersFrom(answer: (method: string, input: unknown) => unknown): ApiHandlers {
  return new Proxy({} as ApiHandlers, { get: (_target, method: string) => (input: unknown) => answer(method, input) });
}

describe('createDispatcher', () => {
  const seen: { method: string; input: unknown }[] = [];
  const dispatch = createDispatcher(
    handlersFrom((method, input) => {
      seen.push({ method, input });
      return { echoed: input };
    }),
  );

  it('passes validated input to the handler and wraps its result', async () => {
    expect(await dispatch('recordings.peaks', { id: 3, points: 100 })).toEqual({ ok: true, result: { echoed: { id: 3, points: 100 } } });
    expect(seen.at(-1)).toEqual({ method: 'recordings.peaks', input: { id: 3, points: 100 } });
  });

  it('treats a missing input as {} for methods that take none', async () => {
    expect(await dispatch('sessions.list', undefined)).toEqual({ ok: true, result: { echoed: {} } });
  });

  it('refuses unknown methods, including names of Object.prototype', async () => {
    for (const method of ['nope', 'toString', '__proto__', 'constructor']) {
      expect(await dispatch(method, {})).toEqual({ ok: false, error: { code: 'not_found', message: `no API method "${method}"` } });
    }
  });

  it('refuses invalid input with a message naming each bad field, without calling the handler', async () => {
    const before = seen.length;
    const reply = await dispatch('recordings.peaks', { id: -1, points: 5 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid_input');
    expect(reply.error.message).toMatch(/^recordings\.peaks: id: .*; points: .*/);
    expect(seen.length).toBe(before);
  });

  it('refuses unknown keys and wrong types', async () => {
    const extra = await dispatch('library.add', { path: '/x', recursive: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!extra.ok && extra.error.message).toContain('recursive');
    const wrongType = await dispatch('annotations.add', { sessionId: 1, recordingId: 1, startSec: '0', endSec: 1, label: 'happy' });
    expect(!wrongType.ok && wrongType.error.message).toMatch(/startSec/);
    expect(await dispatch('library.add', null)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it("applies the contract's cross-field rules", async () => {
    const reply = await dispatch('classify.start', { recordingIds: [1, 2], startSec: 1, endSec: 2 });
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_input', message: 'classify.start: a stretch needs exactly one recording' } });
  });
});

describe('error mapping', () => {
  const logged: string[] = [];
  const failWith = (err: unknown) =>
    createDispatcher(
      handlersFrom(() => {
        throw err;
      }),
      (m) => logged.push(m),
    )('sessions.list', {});

  it('maps known errors to their codes with their own messages', async () => {
    const cases: [unknown, string, string][] = [
      [new ApiError('forbidden_path', '/etc is outside the library'), 'forbidden_path', '/etc is outside the library'],
      [new StoreError('no session with id 7'), 'not_found', 'no session with id 7'],
      [new StoreError('a session named "a" already exists'), 'conflict', 'a session named "a" already exists'],
      [new StoreError('annotation span 2..1 s must satisfy 0 <= start < end'), 'invalid_input', 'annotation span 2..1 s must satisfy 0 <= start < end'],
      [new StoreError('/db: database is locked by another program or connection; close it and try again'), 'unavailable', '/db: database is locked by another program or connection; close it and try again'],
      [new AudioDecodeError('/a.wav', 'not-audio', 'not an audio file'), 'unavailable', '/a.wav: not an audio file'],
      [new ModelLoadError('/models/x', 'model.json is missing'), 'unavailable', '/models/x: model.json is missing'],
    ];
    for (const [err, code, message] of cases) expect(await failWith(err)).toEqual({ ok: false, error: { code, message } });
    expect(logged).toEqual([]);
  });

  it('reports anything else as internal, with its first line only, and logs the stack on the server', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\n    at secret (/home/me/app.ts:1:1)");
    const reply = await failWith(bug);
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: "internal error: Cannot read properties of undefined (reading 'x')" } });
    expect(JSON.stringify(reply)).not.toContain('/home/me');
    expect(logged.join('\n')).toContain('sessions.list failed: TypeError');
  });
});
