import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { TrainingRunner } from '../services/training/training-run.ts';

export function trainingHandlers(c: ServiceContext, stateIntervalMs?: number): Pick<ApiHandlers, 'training.start' | 'training.state' | 'training.interrupted' | 'training.resume' | 'training.discard'> {
  const runner = new TrainingRunner(c, stateIntervalMs);
  return {
    'training.start': (input) => runner.start(input),
    'training.state': () => runner.current(),
    'training.interrupted': () => runner.interrupted(),
    'training.resume': ({ id }) => runner.resume(id),
    'training.discard': ({ id }) => runner.discard(id),
  };
}
