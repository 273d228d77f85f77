import type { Command } from 'commander';
import { resolve } from 'node:path';
import { mergeStore, openStore } from '../../store/index.ts';
import { UsageError } from '../usage-error.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function registerDb(program: Command): void {
  const db = program.command('db').description('work on workspace databases');
  db.command('merge')
    .description('merge the databases of `ser classify --shard i/n --db` runs into one (recordings matched by content hash)')
    .argument('<out>', 'database to merge into (created when missing)')
    .argument('<shards...>', 'databases to merge from, each in one transaction')
    .action((out: string, shards: string[]) => {
      if (shards.some((s) => resolve(s) === resolve(out))) throw new UsageError(`${out} is both the database merged into and one merged from`);
      // Every shard is opened once before anything is written, so a missing or damaged one (a
      // failed job) stops the merge while the target is still as it was.
      for (const shard of shards) openStore(shard, { readonly: true }).close();
      const target = openStore(out);
      try {
        let conflicts = 0;
        for (const shard of shards) {
          const r = mergeStore(target, shard);
          const present = r.predictionsPresent > 0 ? ` (${r.predictionsPresent} already there)` : '';
          console.log(
            `${shard}: ${plural(r.recordingsAdded, 'recording')} added, ${r.recordingsMatched} matched by content; ` +
              `${plural(r.predictionsAdded, 'prediction')} of ${plural(r.runs, 'run')} added${present}`,
          );
          for (const conflict of r.conflicts) console.error(`conflict: ${shard}: ${conflict}`);
          conflicts += r.conflicts.length;
        }
        if (conflicts > 0) {
          console.error(`${plural(conflicts, 'conflict')}: what each names was left out of ${out}; the rest was merged`);
          process.exitCode = 1;
        }
      } finally {
        target.close();
      }
    });
}
