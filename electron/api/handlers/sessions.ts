import { annotationCountsBySession, createSession, listSessions, sessionLabelSet, type Session as StoredSession } from '../../store/index.ts';
import type { ApiHandlers, Session } from '../contract.ts';
import type { ServiceContext } from '../context.ts';
import { toLabelSetInfo } from './label-sets.ts';

function toSession(c: ServiceContext, s: StoredSession, counts: Map<number, number>): Session {
  const labelSet = sessionLabelSet(c.db, s);
  return {
    id: s.id,
    name: s.name,
    annotator: s.annotator,
    labels: labelSet.labels,
    labelSet: toLabelSetInfo(labelSet),
    notes: s.notes,
    createdAt: s.createdAt,
    annotationCount: counts.get(s.id) ?? 0,
  };
}

export function sessionHandlers(c: ServiceContext): Pick<ApiHandlers, 'sessions.list' | 'sessions.create'> {
  return {
    'sessions.list': () => {
      const counts = annotationCountsBySession(c.db);
      return listSessions(c.db).map((s) => toSession(c, s, counts));
    },
    'sessions.create': (input) => {
      const session = createSession(c.db, input);
      c.events.emit({ type: 'library.changed' });
      return toSession(c, session, new Map());
    },
  };
}
