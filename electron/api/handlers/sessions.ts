import { annotationCountsBySession, createSession, getSession, listSessions, sessionLabelSet, type Session as StoredSession } from '../../store/index.ts';
import { ApiError } from '../transport/errors.ts';
import type { ApiHandlers, Session } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { toLabelSetInfo } from './label-sets.ts';

/** The stored session, or the API's not_found error every handler that takes a session id answers with. */
export function sessionOf(c: ServiceContext, sessionId: number): StoredSession {
  const session = getSession(c.db, sessionId);
  if (!session) throw new ApiError('not_found', `no session with id ${sessionId}`);
  return session;
}

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
