import { exportAnnotations } from '../../export/annotations-csv.ts';
import { exportPredictions } from '../../export/predictions-csv.ts';
import { exportSummary } from '../../export/summary-csv.ts';
import { getSession } from '../../store/index.ts';
import type { ApiHandlers } from '../contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError } from '../errors.ts';

export function exportHandlers(c: ServiceContext): Pick<ApiHandlers, 'export.csv'> {
  return {
    'export.csv': async ({ kind, sessionId, path, replace }) => {
      if (sessionId !== undefined && !getSession(c.db, sessionId)) throw new ApiError('not_found', `no session with id ${sessionId}`);
      const target = c.paths.writablePath(path, replace);
      const rows =
        kind === 'predictions'
          ? await exportPredictions(c.db, target, { filter: { sessionId }, scope: 'window' })
          : kind === 'annotations'
            ? await exportAnnotations(c.db, target, { sessionId })
            : await exportSummary(c.db, target, { sessionId });
      await c.paths.wroteExport(target);
      return { path: target, rows };
    },
  };
}
