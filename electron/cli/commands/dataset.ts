import { Option, type Command } from 'commander';
import {
  DEFAULT_MIN_CLIPS_PER_LABEL,
  FOLDER_CONVENTIONS,
  importCorpora,
  summariseDataset,
  type Dataset,
  type DatasetSummary,
  type FolderConvention,
} from '../../ml/datasets/index.ts';
import { collect, dataSources } from '../data-sources.ts';
import { formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

interface InspectFlags {
  data: string[];
  convention?: FolderConvention;
  csv: string[];
  minClips: number;
  json?: boolean;
}

/** Rejected files printed in the text report; --json lists them all. */
const MAX_REJECTED_SHOWN = 50;

const CONVENTION_TITLES: Record<Dataset['convention'], string> = {
  folders: 'one sub-folder per label',
  ravdess: 'RAVDESS file names',
  'crema-d': 'CREMA-D file names',
  tess: 'TESS file names',
  emodb: 'EmoDB file names',
  nemo: 'nEMO file names and data.tsv',
  csv: 'labels from a CSV',
  corpora: 'a union of corpora, each labelled its own way',
};

function clipCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--min-clips must be a positive whole number, got "${value}"`);
  return n;
}

const seconds = (s: number | undefined) => (s === undefined ? '' : s.toFixed(2));
const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('labelled data sets for training and evaluation');
  dataset
    .command('inspect')
    .description('list how a data set is labelled: clips per label, speaker and gender, durations, and the files left out')
    .argument('[dir]', 'folder of audio files (searched recursively)')
    .option('--data <dir>', 'a further folder, one corpus each (repeat it): the data set is their union', collect, [])
    .addOption(new Option('--convention <name>', 'how labels are read (default: detected from the files)').choices(FOLDER_CONVENTIONS))
    .option('--csv <file>', 'a CSV of path,label[,speaker[,gender]] (paths relative to the CSV); with DIR, its unlisted files are reported; with several corpora, one corpus each (repeatable)', collect, [])
    .option('--min-clips <n>', 'flag labels with fewer clips than this', clipCount, DEFAULT_MIN_CLIPS_PER_LABEL)
    .option('--json', 'print one JSON object: {summary, rejected}')
    .action(async (dir: string | undefined, flags: InspectFlags) => {
      if (flags.csv.length > 0 && flags.convention) throw new UsageError('--csv and --convention do not go together: the CSV names each label');
      const data = await importCorpora(dataSources([...(dir ? [dir] : []), ...flags.data], flags.csv, flags.convention, '--csv'));
      const summary = summariseDataset(data, { minClipsPerLabel: flags.minClips });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ summary, rejected: data.rejected })}\n`);
        return;
      }
      console.log(report(summary, data));
    });
}

function report(summary: DatasetSummary, data: Dataset): string {
  const { clips } = summary;
  const out = [
    `${summary.root} (${CONVENTION_TITLES[data.convention]}): ${clips} clips, ${summary.labels.length} labels, ${summary.speakers.length} speakers; ${summary.rejected} ${summary.rejected === 1 ? 'file' : 'files'} rejected`,
    '',
    formatTable(
      [{ title: 'Label' }, { title: 'Clips' }, { title: 'Share', align: 'right' }, { title: 'Mean s', align: 'right' }, { title: 'Total min', align: 'right' }, { title: '' }],
      summary.labels.map((l) => [
        l.label,
        l.clips,
        percent(l.clips, clips),
        seconds(l.durations?.meanSec),
        l.durations ? (l.durations.totalSec / 60).toFixed(1) : '',
        l.tooFew ? `too few (< ${summary.minClipsPerLabel})` : '',
      ]),
    ),
    '',
    formatTable(
      [{ title: 'Gender' }, { title: 'Clips' }, { title: 'Share', align: 'right' }, { title: 'Speakers' }],
      summary.genders.map((g) => [g.gender, g.clips, percent(g.clips, clips), g.speakers]),
    ),
  ];
  if (summary.corpora) {
    out.push('', formatTable([{ title: 'Corpus' }, { title: 'Clips' }, { title: 'Speakers' }, { title: 'Labels' }], summary.corpora.map((c) => [c.corpus, c.clips, c.speakers, c.labels.join(' ')])));
  }
  if (summary.speakers.length > 0) {
    out.push('', formatTable([{ title: 'Speaker' }, { title: 'Gender' }, { title: 'Clips' }], summary.speakers.map((s) => [s.speaker, s.gender, s.clips])));
  }
  if (summary.clipsWithoutSpeaker > 0) out.push(`${summary.clipsWithoutSpeaker} clips name no speaker: a speaker-independent split cannot use them`);
  const d = summary.durations;
  out.push(
    '',
    d
      ? `Durations (${d.clips} clips): min ${seconds(d.minSec)} s, median ${seconds(d.medianSec)} s, mean ${seconds(d.meanSec)} s, max ${seconds(d.maxSec)} s, total ${(d.totalSec / 60).toFixed(1)} min`
      : 'Durations: not stated in the file headers',
  );
  if (summary.tooFew.length > 0) {
    out.push(`Too few clips (< ${summary.minClipsPerLabel}) to train or measure: ${summary.tooFew.join(', ')}`);
  }
  if (data.rejected.length > 0) {
    out.push('', `Rejected (${data.rejected.length}):`);
    for (const r of data.rejected.slice(0, MAX_REJECTED_SHOWN)) out.push(`  ${r.path}: ${r.reason}`);
    if (data.rejected.length > MAX_REJECTED_SHOWN) out.push(`  ... and ${data.rejected.length - MAX_REJECTED_SHOWN} more (--json lists them all)`);
  }
  return out.join('\n');
}
