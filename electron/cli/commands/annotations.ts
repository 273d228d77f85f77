import { Option, type Command } from 'commander';
import { FORMATS, formatOfFile, type AnnotationFormat } from '../../interop/index.ts';
import { exportAnnotationFiles, importAnnotationFiles } from '../../interop/workspace.ts';
import { getSessionByName, listSessions, openStore } from '../../store/index.ts';
import { UsageError } from '../usage-error.ts';

interface ImportFlags {
  db: string;
  recording?: string;
  session?: string;
  format?: AnnotationFormat;
}

interface ExportFlags {
  db: string;
  format: AnnotationFormat;
  out: string;
  session?: string;
}

const formatOption = () => new Option('--format <format>', 'file format').choices(FORMATS);

export function registerAnnotations(program: Command): void {
  const annotations = program.command('annotations').description('annotation files of Praat, Audacity, ELAN and Label Studio, into and out of a workspace');
  annotations
    .command('import')
    .description('import annotation files: each tier becomes a session and tier of its name; all files or nothing')
    .argument('<file...>', 'TextGrid, Audacity label (.txt), .eaf or Label Studio JSON files')
    .requiredOption('--db <file>', 'workspace database (created if missing)')
    .option('--recording <audio>', 'the audio the files describe (default: the one each file names, or the audio of the same name beside it)')
    .option('--session <name>', 'put every tier into this session instead of a session per tier')
    .addOption(formatOption())
    .action(async (files: string[], flags: ImportFlags) => {
      const inputs = files.map((file) => {
        const format = flags.format ?? formatOfFile(file);
        if (!format) throw new UsageError(`${file}: cannot tell the format from the extension; give --format (${FORMATS.join(', ')})`);
        return { file, format };
      });
      const db = openStore(flags.db);
      try {
        const imported = await importAnnotationFiles(db, inputs, { recording: flags.recording, session: flags.session });
        for (const t of imported) {
          const again = t.present ? `, ${t.present} already there` : '';
          console.log(`${t.recording}: session "${t.session}", tier "${t.tier}": ${t.added} ${t.kind === 'interval' ? 'annotations' : 'points'} added${again}`);
        }
      } finally {
        db.close();
      }
    });
  annotations
    .command('export')
    .description('write one annotation file per recording (Audacity: per recording and tier)')
    .requiredOption('--db <file>', 'workspace database')
    .addOption(formatOption().makeOptionMandatory())
    .requiredOption('--out <dir>', 'folder to write the files into (created if missing)')
    .option('--session <name>', 'only this labelling session')
    .action((flags: ExportFlags) => {
      const db = openStore(flags.db, { mustExist: true });
      try {
        const session = flags.session === undefined ? undefined : getSessionByName(db, flags.session);
        if (flags.session !== undefined && !session) {
          const names = listSessions(db).map((s) => s.name);
          throw new UsageError(`no session "${flags.session}" in ${flags.db} (sessions: ${names.length ? names.join(', ') : 'none'})`);
        }
        const written = exportAnnotationFiles(db, { format: flags.format, outDir: flags.out, sessionId: session?.id });
        for (const f of written) console.log(`${f.path}: ${f.tiers} tier${f.tiers === 1 ? '' : 's'} of ${f.recording}`);
        if (written.length === 0) console.error('no annotations to export');
      } finally {
        db.close();
      }
    });
}
