import { basename } from 'node:path';
import { isHeldOut, scoreHeldOut, type LabelledSpan } from '../../annotation/held-out.ts';
import { rankForLabelling, type CandidateWindow } from '../../annotation/label-queue.ts';
import {
  iteratePredictions,
  listAnnotations,
  listLibraryFolders,
  listModels,
  listRecordings,
  listTiers,
  mergeRuns,
  type PredictionRow,
  type StoreDb,
} from '../../store/index.ts';
import type { TimelineWindow } from '../../shared/segments.ts';
import type { ServiceContext } from '../context.ts';
import { sessionOf } from './sessions.ts';
import type { ApiHandlers } from '../transport/contract.ts';


/** Every recording's windows by one model, its runs merged as the timeline shows them: one read of the store. */
function windowsByRecording(db: StoreDb, modelId: number): Map<number, TimelineWindow[]> {
  const rows = new Map<number, PredictionRow[]>();
  for (const row of iteratePredictions(db, { modelId })) {
    const list = rows.get(row.recordingId);
    if (list) list.push(row);
    else rows.set(row.recordingId, [row]);
  }
  return new Map([...rows].map(([recordingId, list]) => [recordingId, mergeRuns(list)]));
}

export function learningHandlers(c: ServiceContext): Pick<ApiHandlers, 'learning.queue' | 'learning.heldOut'> {
  return {
    'learning.queue': ({ sessionId, tierId, measure, limit }) => {
      sessionOf(c, sessionId);
      const tier = tierId ?? listTiers(c.db, sessionId)[0]?.id;
      const model = c.model.stored;
      const folders = listLibraryFolders(c.db);
      const recordings = listRecordings(c.db).filter((r) => c.paths.listed(r.path, folders));
      const annotated = new Map<number, LabelledSpan[]>();
      for (const a of tier === undefined ? [] : listAnnotations(c.db, { sessionId, tierId: tier })) {
        const list = annotated.get(a.recordingId);
        if (list) list.push(a);
        else annotated.set(a.recordingId, [a]);
      }
      const windows = windowsByRecording(c.db, model.id);
      const candidates: CandidateWindow[] = [];
      const unclassified: number[] = [];
      for (const r of recordings) {
        const own = windows.get(r.id) ?? [];
        if (own.length === 0) unclassified.push(r.id);
        for (const w of own) candidates.push({ recordingId: r.id, ...w });
      }
      const names = new Map(recordings.map((r) => [r.id, basename(r.path)]));
      const items = rankForLabelling(candidates, model.labels, annotated, measure, limit).map((item) => ({ ...item, name: names.get(item.recordingId)! }));
      return { model: { id: model.id, name: model.name }, measure, items, unclassified };
    },
    'learning.heldOut': ({ sessionId }) => {
      sessionOf(c, sessionId);
      const spans = listAnnotations(c.db, { sessionId }).filter((a) => isHeldOut(a.id));
      const models = [];
      for (const model of listModels(c.db).sort((a, b) => a.id - b.id)) {
        const windows = windowsByRecording(c.db, model.id);
        const score = scoreHeldOut(spans, (recordingId) => windows.get(recordingId) ?? [], model.labels);
        if (score.n > 0) models.push({ id: model.id, name: model.name, ...score });
      }
      return { heldOut: spans.length, models };
    },
  };
}
