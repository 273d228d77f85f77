/**
 * The annotation file formats by name and extension: shared by the readers and writers
 * (electron/interop), the API's schemas and the renderer, which picks a format from a file name.
 */
export const FORMATS = ['textgrid', 'audacity', 'eaf', 'labelstudio'] as const;
export type AnnotationFormat = (typeof FORMATS)[number];

export const EXTENSIONS: Record<AnnotationFormat, string> = { textgrid: '.TextGrid', audacity: '.txt', eaf: '.eaf', labelstudio: '.json' };

/** The format a file's extension says (case-insensitive), if any. Written without node:path so the renderer can use it. */
export function formatOfFile(file: string): AnnotationFormat | undefined {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ext = name.slice(dot).toLowerCase();
  return FORMATS.find((f) => EXTENSIONS[f].toLowerCase() === ext);
}
