export type Gender = 'male' | 'female';

/** How labels (and speakers) are read from a data set's files. */
export type FileNameConventionName = 'ravdess' | 'crema-d' | 'tess' | 'emodb' | 'nemo';
export type FolderConvention = 'folders' | FileNameConventionName;
/** 'corpora': several folders (or CSVs), each labelled its own way, imported as one data set. */
export type DatasetConvention = FolderConvention | 'csv' | 'corpora';

export const FOLDER_CONVENTIONS: readonly FolderConvention[] = ['folders', 'ravdess', 'crema-d', 'tess', 'emodb', 'nemo'];

export interface DatasetItem {
  /** Absolute path. */
  path: string;
  label: string;
  speaker?: string;
  gender?: Gender;
  /**
   * The corpus the clip comes from (a data set can be a union of corpora): what training masks
   * classes by and keeps speakers apart by. Set by the import.
   */
  corpus?: string;
  /** From the file's headers, where they state it. */
  durationSec?: number;
}

/** A file left out of the data set, and why: nothing is guessed. */
export interface RejectedFile {
  path: string;
  reason: string;
}

export interface Dataset {
  /** The folder the files were found in (for a CSV, the CSV's folder). */
  root: string;
  convention: DatasetConvention;
  /** The labels present: the app's emotions first in their usual order, then others alphabetically. */
  labels: string[];
  items: DatasetItem[];
  rejected: RejectedFile[];
}
