import type { ApiHandlers } from '../contract.ts';
import type { ServiceContext } from '../context.ts';
import { TrainingRunner } from '../training-run.ts';

export function trainingHandlers(c: ServiceContext, stateIntervalMs?: number): Pick<ApiHandlers, 'training.start' | 'training.state'> {
  const runner = new TrainingRunner(c, stateIntervalMs);
  return {
    'training.start': (input) => runner.start(input),
    'training.state': () => runner.current(),
  };
}
