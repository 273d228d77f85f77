import { Option, type Command } from 'commander';
import { STDOUT, type CsvOptions } from '../../export/csv.ts';
import { exportAnnotations } from '../../export/annotations-csv.ts';
import { exportEvaluation } from '../../export/evaluation-csv.ts';
import { exportPredictions, type PredictionScope } from '../../export/predictions-csv.ts';
import { exportSegments } from '../../export/segments-csv.ts';
import { exportSummary } from '../../export/summary-csv.ts';
import { getModel, getSessionByName, listModels, listSessions, openStore, type StoreDb } from '../../store/index.ts';
import { UsageError, probability } from '../usage-error.ts';

interface ExportFlags {
  db: string;
  out: string;
  model?: string;
  modelVersion?: string;
  session?: string;
  per?: PredictionScope;
  minConfidence?: number;
  spreadsheetSafe: boolean;
  bom?: boolean;
}

const names = (items: { name: string }[]) => (items.length ? [...new Set(items.map((i) => i.name))].join(', ') : 'none');

function modelId(db: StoreDb, flags: ExportFlags): number | undefined {
  if (flags.model === undefined) {
    if (flags.modelVersion !== undefined) throw new UsageError('--model-version needs --model');
    return undefined;
  }
  const model = getModel(db, flags.model, flags.modelVersion);
  if (!model) {
    const version = flags.modelVersion === undefined ? '' : ` version "${flags.modelVersion}"`;
    throw new UsageError(`no model "${flags.model}"${version} in ${flags.db} (models: ${names(listModels(db))})`);
  }
  return model.id;
}

function sessionId(db: StoreDb, flags: ExportFlags): number | undefined {
  if (flags.session === undefined) return undefined;
  const session = getSessionByName(db, flags.session);
  if (!session) throw new UsageError(`no session "${flags.session}" in ${flags.db} (sessions: ${names(listSessions(db))})`);
  return session.id;
}

type Report = (db: StoreDb, flags: ExportFlags, csv: CsvOptions) => Promise<number>;

const REPORTS: { name: string; description: string; filters: ('model' | 'session' | 'scope' | 'confidence')[]; requiresModel?: boolean; run: Report }[] = [
  {
    name: 'predictions',
    description: 'predictions with every class probability, per window and/or per file',
    filters: ['model', 'session', 'scope', 'confidence'],
    run: (db, flags, csv) =>
      exportPredictions(db, flags.out, { ...csv, scope: flags.per, minConfidence: flags.minConfidence, filter: { modelId: modelId(db, flags), sessionId: sessionId(db, flags) } }),
  },
  {
    name: 'annotations',
    description: 'annotations with their session, recording, span, label, intensity and note',
    filters: ['session'],
    run: (db, flags, csv) => exportAnnotations(db, flags.out, { ...csv, sessionId: sessionId(db, flags) }),
  },
  {
    name: 'summary',
    description:
      'per recording: duration, windows, top label and mean probability per label (latest run of each model), annotations; then per label: recordings and windows it tops, its mean probability, annotations',
    filters: ['model', 'session'],
    run: (db, flags, csv) => exportSummary(db, flags.out, { ...csv, modelId: modelId(db, flags), sessionId: sessionId(db, flags) }),
  },
  {
    name: 'segments',
    description: 'per recording: the runs of one top label ("no speech" for windows without speech) along its timeline, with start, end and duration',
    filters: ['model', 'session'],
    run: (db, flags, csv) => exportSegments(db, flags.out, { ...csv, filter: { modelId: modelId(db, flags), sessionId: sessionId(db, flags) } }),
  },
  {
    name: 'evaluation',
    description: "a model's test-set precision, recall and F1 per class, with its confusion matrix",
    filters: ['model'],
    requiresModel: true,
    run: (db, flags, csv) => exportEvaluation(db, flags.out, { ...csv, modelId: modelId(db, flags)! }),
  },
];

export function registerExport(program: Command): void {
  const exportCommand = program.command('export').description('write CSV reports from a workspace database');
  for (const report of REPORTS) {
    const command = exportCommand
      .command(report.name)
      .description(report.description)
      .requiredOption('--db <file>', 'workspace database')
      .requiredOption('--out <file>', `CSV file to write ("${STDOUT}" for standard output)`);
    if (report.filters.includes('model')) {
      command
        .addOption(new Option('--model <name>', report.requiresModel ? 'model name' : 'only this model').makeOptionMandatory(report.requiresModel ?? false))
        .option('--model-version <version>', 'model version (default: the latest of that name)');
    }
    if (report.filters.includes('session')) command.option('--session <name>', 'only this labelling session');
    if (report.filters.includes('scope')) {
      command.addOption(
        new Option('--per <unit>', 'one row per window, one per file (the mean of its windows), or both (each file row before its windows)')
          .choices(['window', 'file', 'both'])
          .default('window'),
      );
    }
    if (report.filters.includes('confidence')) {
      command.option('--min-confidence <p>', 'outcome "uncertain" where the top probability is below p (ser info shows a model\'s calibrated threshold; default none)', probability('--min-confidence'));
    }
    command
      .option('--no-spreadsheet-safe', 'write cells starting with = + - @ as they are (by default they get a leading \' so spreadsheets do not run them)')
      .option('--bom', 'start with a UTF-8 byte order mark (for Excel)')
      .action(async (flags: ExportFlags) => {
        const db = openStore(flags.db, { mustExist: true });
        try {
          const rows = await report.run(db, flags, { spreadsheetSafe: flags.spreadsheetSafe, bom: flags.bom });
          if (flags.out !== STDOUT) console.error(`${flags.out}: ${rows} rows`);
        } finally {
          db.close();
        }
      });
  }
}
