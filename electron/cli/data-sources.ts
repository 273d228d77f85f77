/** How --data and --labels-csv/--csv (each repeatable) and --convention name a data set's sources. */
import { Option, type Command } from 'commander';
import { FOLDER_CONVENTIONS, type DataSources, type FolderConvention } from '../ml/datasets/index.ts';
import { describeLeftOut, prepareTrainingData, type TrainingData } from '../ml/training-data.ts';
import { UsageError } from './usage-error.ts';

export interface DataSetFlags {
  data: string[];
  labelsCsv: string[];
  convention?: FolderConvention;
}

/** A commander collector: each --data (or labels CSV) adds one source. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/**
 * At most one folder and one CSV: one source, as before (the CSV labels the folder's files). More:
 * one corpus each, every folder's naming detected on its own.
 */
export function dataSources(folders: readonly string[], csvs: readonly string[], convention: FolderConvention | undefined, csvFlag: string): DataSources {
  if (folders.length === 0 && csvs.length === 0) throw new UsageError(`give a data set: --data DIR or ${csvFlag} FILE (repeat them for a union of corpora)`);
  if (folders.length <= 1 && csvs.length <= 1) return { dir: folders[0], csv: csvs[0], convention };
  if (convention) throw new UsageError('--convention names the labelling of one folder: with several corpora, each folder\'s is detected');
  return [...folders.map((dir) => ({ dir })), ...csvs.map((csv) => ({ csv }))];
}

/** --data, --labels-csv (each repeatable) and --convention, as every command reading a labelled data set takes them; `verb` says what a union is for. */
export function withDataSetOptions(command: Command, verb: string): Command {
  return command
    .option('--data <dir>', `data set folder (labels from sub-folders or a known file-name convention); repeat it to ${verb} a union of corpora`, collect, [])
    .option('--labels-csv <file>', 'a CSV of path,label[,speaker[,gender]] instead of (or to label) the folder; with several corpora, one corpus each (repeatable)', collect, [])
    .addOption(new Option('--convention <name>', 'how labels are read from the folder (default: detected)').choices(FOLDER_CONVENTIONS));
}

/** The clips of the flags' data set that carry one of a model's labels, for measuring it; what was left out goes to stderr. */
export async function clipsForModel(flags: DataSetFlags, labels: readonly string[]): Promise<TrainingData> {
  const data = await prepareTrainingData({
    data: dataSources(flags.data, flags.labelsCsv, flags.convention, '--labels-csv'),
    labels,
    minClipsPerLabel: 0,
    requireEveryLabel: false,
  });
  describeLeftOut(data).forEach((note) => console.error(note));
  return data;
}
