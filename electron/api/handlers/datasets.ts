import { DEFAULT_MIN_CLIPS_PER_LABEL } from '../../ml/datasets/index.ts';
import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';

export function datasetHandlers(c: ServiceContext): Pick<ApiHandlers, 'datasets.inspect'> {
  return {
    'datasets.inspect': ({ source, minClipsPerLabel = DEFAULT_MIN_CLIPS_PER_LABEL }) =>
      source.kind === 'folder' ? c.datasets.inspectFolder(source.path, source.labelsCsv, minClipsPerLabel) : c.datasets.inspectSession(source.sessionId, minClipsPerLabel, source.leaveOutHeldOut),
  };
}
