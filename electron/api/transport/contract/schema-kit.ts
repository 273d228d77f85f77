/** The building blocks the API contract's files describe methods with. */
import { z } from 'zod';

export const id = z.number().int().positive();
/** Jobs are named by random UUIDs. */
export const jobId = z.string().min(1).max(100);
export const seconds = z.number().finite().nonnegative();
/** A path as the user typed or picked it; never trusted: the service resolves it and checks it against the library folders. */
export const userPath = z.string().min(1).max(4096);
export const label = z.string().min(1).max(64);
export const none = z.object({}).strict();

/** What a method takes and gives: `input` is validated, `output` is a type only (our own code builds it). */
export interface Method<I extends z.ZodType, O> {
  input: I;
  output?: O;
}
export const method =
  <O>() =>
  <I extends z.ZodType>(input: I): Method<I, O> => ({ input });
