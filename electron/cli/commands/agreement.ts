import type { Command } from 'commander';
import { headlineKappa, type AgreementFigures } from '../../annotation/agreement.ts';
import { DEFAULT_FRAME_SEC } from '../../annotation/frame-grid.ts';
import { sessionAgreement, type SessionAgreement, type TierRater } from '../../annotation/session-agreement.ts';
import { exportAgreement } from '../../export/agreement-csv.ts';
import { STDOUT } from '../../export/csv.ts';
import { getSessionByName, getTierByName, listSessions, listTiers, openStore, type Session, type StoreDb } from '../../store/index.ts';
import { formatPercent } from '../evaluation-report.ts';
import { formatTable } from '../table.ts';
import { positiveNumber, UsageError } from '../usage-error.ts';

interface AgreementFlags {
  db: string;
  session: string[];
  tier: string[];
  frame: number;
  json?: boolean;
  csv?: string;
}

const KAPPA_TITLE = { cohen: "Cohen's kappa", fleiss: "Fleiss' kappa" };

/** The raters asked for: two or more sessions, or two or more tiers of one session. */
function ratersOf(db: StoreDb, flags: AgreementFlags): (Session | TierRater)[] {
  if (flags.tier.length === 0) return sessionsByName(db, flags);
  if (flags.session.length !== 1) throw new UsageError('--tier compares tiers of one session: give exactly one --session');
  if (new Set(flags.tier).size < 2 || new Set(flags.tier).size < flags.tier.length) throw new UsageError('give at least two different tiers (--tier A --tier B), each once');
  const session = getSessionByName(db, flags.session[0]);
  if (!session) throw new UsageError(`no session "${flags.session[0]}" in ${flags.db}`);
  return flags.tier.map((name) => {
    const tier = getTierByName(db, session.id, name);
    if (!tier) throw new UsageError(`session "${session.name}" has no tier "${name}" (tiers: ${listTiers(db, session.id).map((t) => t.name).join(', ')})`);
    if (tier.kind !== 'interval') throw new UsageError(`tier "${name}" holds points in time, not stretches to compare`);
    return { name, session, tierId: tier.id };
  });
}

function sessionsByName(db: StoreDb, flags: AgreementFlags): Session[] {
  const names = flags.session;
  if (new Set(names).size < 2) throw new UsageError('give at least two different sessions (--session A --session B)');
  if (new Set(names).size < names.length) throw new UsageError('each --session may be given once');
  return names.map((name) => {
    const session = getSessionByName(db, name);
    if (!session) throw new UsageError(`no session "${name}" in ${flags.db} (sessions: ${listSessions(db).map((s) => s.name).join(', ') || 'none'})`);
    return session;
  });
}

/** The figures under the names the scripts read: cohen_kappa (or fleiss_kappa), krippendorff_alpha, observed_agreement, frames. */
function figuresJson(figures: AgreementFigures) {
  const kappa = headlineKappa(figures);
  return {
    [`${kappa.kind}_kappa`]: kappa.value,
    krippendorff_alpha: figures.krippendorffAlpha,
    observed_agreement: figures.observedAgreement,
    frames: figures.units,
  };
}

function json(agreement: SessionAgreement) {
  return {
    sessions: agreement.sessions,
    frame_s: agreement.frameSec,
    ...figuresJson(agreement.pooled),
    ...(agreement.pooled.cohen && { confusion: { labels: agreement.categories, matrix: agreement.pooled.cohen.confusion } }),
    recordings: agreement.recordings.map((r) => ({
      path: r.path,
      ...figuresJson(r.figures),
      disagreements: r.disagreements.map((d) => ({ start_s: d.startSec, end_s: d.endSec, labels: d.labels })),
    })),
  };
}

const f3 = (x: number | null) => (x === null ? 'undefined' : x.toFixed(3));
const percent = (x: number | null) => (x === null ? 'undefined' : formatPercent(x));

function describeFigures(figures: AgreementFigures): string {
  const kappa = headlineKappa(figures);
  return `${KAPPA_TITLE[kappa.kind]} ${f3(kappa.value)}, Krippendorff's alpha ${f3(figures.krippendorffAlpha)}, observed agreement ${percent(figures.observedAgreement)}, ${figures.units} frames`;
}

/** The pooled confusion of two sessions, over the categories either of them used. */
function confusionTable(agreement: SessionAgreement, confusion: number[][]): string {
  const used = agreement.categories.map((_, k) => k).filter((k) => confusion[k].some((n) => n > 0) || confusion.some((row) => row[k] > 0));
  const [rows, columns] = agreement.sessions;
  return formatTable(
    [{ title: `${rows} \\ ${columns}` }, ...used.map((k) => ({ title: agreement.categories[k] }))],
    used.map((k) => [agreement.categories[k], ...used.map((j) => confusion[k][j])]),
  );
}

function report(agreement: SessionAgreement): string {
  const kind = headlineKappa(agreement.pooled).kind;
  const compared = agreement.recordings.length;
  const lines = [
    `Sessions ${agreement.sessions.join(', ')} on ${agreement.frameSec * 1000} ms frames, ${compared} recording${compared === 1 ? '' : 's'} compared`,
    `Pooled: ${describeFigures(agreement.pooled)}`,
    '',
    formatTable(
      [{ title: 'recording' }, { title: 'frames' }, { title: `${kind}_kappa` }, { title: 'alpha' }, { title: 'agreement' }, { title: 'disagreements' }],
      agreement.recordings.map((r) => [
        r.path,
        r.figures.units,
        f3(headlineKappa(r.figures).value),
        f3(r.figures.krippendorffAlpha),
        percent(r.figures.observedAgreement),
        r.disagreements.length,
      ]),
    ),
  ];
  if (agreement.pooled.cohen) lines.push('', confusionTable(agreement, agreement.pooled.cohen.confusion));
  return lines.join('\n');
}

export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description("agreement between labelling sessions, one per annotator: Cohen's kappa for two, Fleiss' kappa for more, Krippendorff's alpha, per recording and pooled")
    .requiredOption('--db <file>', 'workspace database')
    .option('--session <name>', 'a session to compare (give two or more)', (name: string, names: string[]) => [...names, name], [])
    .option('--tier <name>', "a tier of the one --session to compare instead (give two or more: two annotators' tiers)", (name: string, names: string[]) => [...names, name], [])
    .option('--frame <seconds>', 'length of the frames compared', positiveNumber('--frame'), DEFAULT_FRAME_SEC)
    .option('--json', 'print one JSON object')
    .option('--csv <file>', `also write each recording's figures and disagreement segments as CSV ("${STDOUT}" for standard output)`)
    .action(async (flags: AgreementFlags) => {
      if (flags.json && flags.csv === STDOUT) throw new UsageError('--json and --csv - would both write to standard output; give --csv a file');
      const db = openStore(flags.db, { mustExist: true });
      try {
        const agreement = sessionAgreement(db, ratersOf(db, flags), flags.frame);
        if (flags.csv !== undefined) {
          const rows = await exportAgreement(agreement, flags.csv);
          if (flags.csv !== STDOUT) console.error(`${flags.csv}: ${rows} rows`);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(json(agreement))}\n`);
        else if (flags.csv !== STDOUT) console.log(report(agreement));
      } finally {
        db.close();
      }
    });
}
