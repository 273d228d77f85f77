import { exportFileName } from './format.ts';

/** A name's letters and digits for a file name: "ser cnn (v2)" → "ser-cnn-v2". */
const slug = (text: string) =>
  text
    .replace(/[^\p{L}\p{N}._]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'unnamed';

/** The last part of a folder path, or the source as it is (a labelling session). */
const lastPart = (source: string) => source.split(/[\\/]/).filter(Boolean).pop() ?? source;

/**
 * The suggested CSV name of one evaluation: its own model, data set and time, so an export is
 * never named after another evaluation or the moment of exporting.
 */
export function evaluationFileName(report: { modelName: string; datasetSource: string; createdAt: string }): string {
  return exportFileName(`evaluation-${slug(report.modelName)}-${slug(lastPart(report.datasetSource))}`, new Date(report.createdAt));
}
