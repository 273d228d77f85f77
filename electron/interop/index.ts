/** The annotation file formats SER Studio reads and writes, by name and by file extension. */
import { basename, extname } from 'node:path';
import type { AnnotationFormat } from '../shared/annotation-formats.ts';
import { readAudacityLabels, writeAudacityLabels } from './audacity.ts';
import { decodeText, type AnnotationDocument } from './document.ts';
import { readEaf, writeEaf } from './eaf.ts';
import { readLabelStudio, writeLabelStudio } from './labelstudio.ts';
import { readTextGrid, writeTextGrid } from './textgrid.ts';

export * from './document.ts';
export * from '../shared/annotation-formats.ts';

/**
 * The documents a file holds: one, or for Label Studio one per task. A file that names no tiers
 * (Audacity's one track) gets a tier named after the file.
 */
export function readAnnotationFile(bytes: Uint8Array, file: string, format: AnnotationFormat): AnnotationDocument[] {
  const text = decodeText(bytes, file);
  switch (format) {
    case 'textgrid':
      return [readTextGrid(text, file)];
    case 'audacity':
      return [readAudacityLabels(text, file, basename(file, extname(file)))];
    case 'eaf':
      return [readEaf(text, file)];
    case 'labelstudio':
      return readLabelStudio(text, file);
  }
}

/** The text of one recording's file (UTF-8). Audacity's one-track files take a document of one tier. */
export function writeAnnotationFile(doc: AnnotationDocument, format: AnnotationFormat): string {
  switch (format) {
    case 'textgrid':
      return writeTextGrid(doc);
    case 'audacity':
      return writeAudacityLabels(doc);
    case 'eaf':
      return writeEaf(doc);
    case 'labelstudio':
      return writeLabelStudio([doc]);
  }
}
