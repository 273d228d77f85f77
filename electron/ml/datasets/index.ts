/** Labelled data sets for training and evaluation: import from a folder or a CSV, and summarise. */
export { importCorpora, sourceList, type DataSources } from './corpora.ts';
export { DatasetError } from './errors.ts';
export { importDataset, type ImportOptions } from './import.ts';
export { DEFAULT_MIN_CLIPS_PER_LABEL, summariseDataset, type DatasetSummary, type DurationStats, type GenderOrUnknown } from './summary.ts';
export {
  FOLDER_CONVENTIONS,
  type Dataset,
  type DatasetConvention,
  type DatasetItem,
  type FileNameConventionName,
  type FolderConvention,
  type Gender,
  type RejectedFile,
} from './types.ts';
