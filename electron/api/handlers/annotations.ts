import {
  addAnnotation,
  deleteAnnotation,
  listAnnotations,
  restoreAnnotation,
  updateAnnotation,
  type Annotation as StoredAnnotation,
  type AnnotationChanges,
} from '../../store/index.ts';
import type { Annotation, ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { sessionOf } from './sessions.ts';

const toAnnotation = (a: StoredAnnotation): Annotation => ({
  id: a.id,
  recordingId: a.recordingId,
  sessionId: a.sessionId,
  tierId: a.tierId,
  startSec: a.startSec,
  endSec: a.endSec,
  label: a.label,
  intensity: a.intensity,
  note: a.note,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export function annotationHandlers(
  c: ServiceContext,
): Pick<ApiHandlers, 'annotations.list' | 'annotations.add' | 'annotations.update' | 'annotations.delete' | 'annotations.restore'> {
  /** Every change refreshes the lists (annotation counts). */
  const changed = <T>(value: T): T => {
    c.events.emit({ type: 'library.changed' });
    return value;
  };
  return {
    'annotations.list': (filter) => listAnnotations(c.db, filter).map(toAnnotation),
    'annotations.add': (input) => changed(toAnnotation(addAnnotation(c.db, input))),
    'annotations.update': ({ id, ...fields }) => {
      // Only the fields given change; undefined would overwrite them.
      const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as AnnotationChanges;
      return changed(toAnnotation(updateAnnotation(c.db, id, changes).after));
    },
    'annotations.delete': ({ id }) => changed(toAnnotation(deleteAnnotation(c.db, id))),
    'annotations.restore': (input) => {
      const session = sessionOf(c, input.sessionId);
      const now = new Date().toISOString();
      const restored = restoreAnnotation(c.db, {
        ...input,
        intensity: input.intensity ?? null,
        note: input.note ?? null,
        // The renderer's copy has no annotator; the session's is the one addAnnotation gave it.
        annotator: session.annotator,
        createdAt: input.createdAt ?? now,
        updatedAt: input.updatedAt ?? now,
      });
      return changed(toAnnotation(restored));
    },
  };
}
