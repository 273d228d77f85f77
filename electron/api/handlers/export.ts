import { exportAnnotations } from '../../export/annotations-csv.ts';
import { exportPredictions } from '../../export/predictions-csv.ts';
import { exportSummary } from '../../export/summary-csv.ts';
import { listLibraryFolders } from '../../store/index.ts';
import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { sessionOf } from './sessions.ts';

/** The recordings the library shows now (those of its folders), as its list shows them. */
function listedNow(c: ServiceContext): (path: string) => boolean {
  const folders = listLibraryFolders(c.db);
  return (path) => c.paths.listed(path, folders);
}

export function exportHandlers(c: ServiceContext): Pick<ApiHandlers, 'export.csv'> {
  return {
    'export.csv': async ({ kind, per, sessionId, path, replace }) => {
      if (sessionId !== undefined) sessionOf(c, sessionId);
      const target = c.paths.writablePath(path, replace);
      const rows =
        kind === 'predictions'
          ? await exportPredictions(c.db, target, { filter: { sessionId }, scope: per ?? 'window' })
          : kind === 'annotations'
            ? await exportAnnotations(c.db, target, { sessionId })
            : await exportSummary(c.db, target, { sessionId, listed: listedNow(c) });
      await c.paths.wroteExport(target);
      return { path: target, rows };
    },
  };
}
