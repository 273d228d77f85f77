import { exportAnnotationFiles, importAnnotationFiles, intervalLabelsOf } from '../../interop/workspace.ts';
import { EXTENSIONS, FORMATS, formatOfFile, type AnnotationFormat } from '../../shared/annotation-formats.ts';
import { createTier, getRecording, listTiers, sessionLabelSet, type Tier as StoredTier } from '../../store/index.ts';
import type { ApiHandlers, Tier } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { sessionOf } from './sessions.ts';
import { ApiError } from '../transport/errors.ts';

const toTier = (t: StoredTier): Tier => ({ id: t.id, sessionId: t.sessionId, name: t.name, kind: t.kind });

export function annotationFileHandlers(
  c: ServiceContext,
): Pick<ApiHandlers, 'tiers.list' | 'tiers.create' | 'annotations.import' | 'annotations.labelsOf' | 'annotations.export'> {
  /** The file at a library path and its format: the one asked for, else its extension's. */
  const fileOf = (path: string, format: AnnotationFormat | undefined) => {
    const file = c.paths.readablePath(path);
    const chosen = format ?? formatOfFile(file);
    if (!chosen) throw new ApiError('invalid_input', `${path}: cannot tell the format from the extension; choose one of ${FORMATS.join(', ')}`);
    return { file, format: chosen };
  };
  return {
    'tiers.list': ({ sessionId }) => listTiers(c.db, sessionOf(c, sessionId).id).map(toTier),
    'tiers.create': ({ sessionId, name, kind }) => toTier(createTier(c.db, sessionOf(c, sessionId).id, name, kind)),
    'annotations.import': async ({ path, sessionId, recordingId, format, labelMap }) => {
      const session = sessionOf(c, sessionId);
      const recording = getRecording(c.db, recordingId);
      if (!recording) throw new ApiError('not_found', `no recording with id ${recordingId}`);
      // The recording named here, not the audio the file names: the user imports into the recording they have open.
      const imported = await importAnnotationFiles(c.db, [fileOf(path, format)], { recording: recording.path, session: session.name, labelMap });
      c.events.emit({ type: 'library.changed' });
      return imported.map(({ tier, kind, added, present }) => ({ tier, kind, added, present }));
    },
    'annotations.labelsOf': ({ path, sessionId, format }) => {
      const sessionLabels = sessionLabelSet(c.db, sessionOf(c, sessionId)).labels;
      const chosen = fileOf(path, format);
      const labels = intervalLabelsOf(chosen.file, chosen.format);
      return { labels, unknown: labels.filter((l) => !sessionLabels.includes(l)), sessionLabels };
    },
    'annotations.export': async ({ sessionId, format, folder, recordingId, replace }) => {
      sessionOf(c, sessionId);
      if (recordingId !== undefined && !getRecording(c.db, recordingId)) throw new ApiError('not_found', `no recording with id ${recordingId}`);
      // Checked before the export makes anything: the folder must already be one of the library's.
      const outDir = c.paths.readablePath(folder);
      const written = exportAnnotationFiles(c.db, {
        format,
        outDir,
        sessionId,
        recordingId,
        target: (path) => c.paths.writablePath(path, replace, EXTENSIONS[format]),
      });
      for (const { path } of written) await c.paths.wroteExport(path);
      return { files: written.map(({ path, tiers }) => ({ path, tiers })) };
    },
  };
}
