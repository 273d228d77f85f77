/**
 * The one entry point both transports call: checks the method name, validates the input with the
 * contract's schema, runs the handler and turns every outcome into an ApiReply.
 */
import type { z } from 'zod';
import { API, type ApiHandlers, type ApiMethod, type ApiReply } from './contract.ts';
import { errorBody } from './errors.ts';

export type Dispatch = (method: string, rawInput: unknown) => Promise<ApiReply<unknown>>;

const isMethod = (name: string): name is ApiMethod => Object.hasOwn(API, name);

/** "recordingIds.0: Too small: expected number to be >0" and the like, one line for all issues. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function createDispatcher(handlers: ApiHandlers, log: (message: string) => void = console.error): Dispatch {
  return async (method, rawInput) => {
    if (!isMethod(method)) return { ok: false, error: { code: 'not_found', message: `no API method "${method}"` } };
    const parsed = API[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${method}: ${describeIssues(parsed.error)}` } };
    try {
      // The schema and handler are looked up by the same key, so their types agree; TypeScript cannot follow the correlation.
      const handler = handlers[method] as (input: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: errorBody(err, (text) => log(`${method} failed: ${text}`)) };
    }
  };
}
