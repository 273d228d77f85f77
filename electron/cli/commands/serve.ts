import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATABASE_FILE, defaultDataDir, defaultRendererDir } from '../../api/services/app/app-paths.ts';
import { createToken } from '../../api/transport/auth.ts';
import { createDispatcher } from '../../api/transport/dispatch.ts';
import { allowedRoots } from '../../api/services/library/paths.ts';
import { startHttpServer } from '../../api/transport/http-server.ts';
import { createApiService } from '../../api/service.ts';
import { bundledModelDir } from '../../ml/model-location.ts';
import { openStore } from '../../store/index.ts';
import { buildRenderer } from '../build-renderer.ts';
import { wholeNumber } from '../usage-error.ts';

interface ServeFlags {
  port: number;
  db?: string;
  model?: string;
  renderer?: string;
  allow?: string[];
}

/** Resolves on the first SIGINT or SIGTERM. */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolvePromise) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolvePromise(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (127.0.0.1) with a per-launch token')
    .option('--port <n>', 'port to listen on (0: any free port)', wholeNumber('--port'), 0)
    .option('--db <file>', `workspace database (default: ${join(defaultDataDir(), DATABASE_FILE)}; SER_DATA_DIR sets the folder); user models, evaluations and settings live beside it`)
    .option('--model <dir>', "the models list's bundled entry (default: the model shipped with the app)")
    .option('--renderer <dir>', 'built renderer to serve (default: dist/renderer)')
    .option('--allow <dir>', 'a folder (and its sub-folders) recordings may be added from; repeatable (default: your home folder); system folders are refused', (dir: string, dirs: string[] = []) => [...dirs, dir])
    .action(async (flags: ServeFlags) => {
      if (flags.port > 65535) throw new Error(`--port must be at most 65535, got ${flags.port}`);
      const libraryRoots = allowedRoots(flags.allow ?? [homedir()]);
      const dbFile = resolve(flags.db ?? join(defaultDataDir(), DATABASE_FILE));
      if (!flags.db) mkdirSync(defaultDataDir(), { recursive: true });
      const rendererDir = resolve(flags.renderer ?? defaultRendererDir());
      // A fresh clone has no built pages: build them now (about a second), so the first URL opens the app itself.
      if (!flags.renderer && !existsSync(rendererDir)) {
        console.error(`Building the app's pages into ${rendererDir} (first run)...`);
        const started = Date.now();
        if (await buildRenderer()) console.error(`Built the app's pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      const db = openStore(dbFile);
      const service = await createApiService({ db, modelDir: flags.model ?? bundledModelDir(), transport: 'serve', libraryRoots, preloadModel: true }).catch((err: unknown) => {
        db.close();
        throw err;
      });
      const server = await startHttpServer({
        dispatch: createDispatcher(service.handlers),
        events: service.events,
        media: service.media,
        token: createToken(),
        rendererDir,
        port: flags.port,
      });
      // The first line of stdout is the whole interface for scripts and tests: keep it alone there.
      process.stdout.write(`${server.url}\n`);
      console.error(`SER Studio is serving ${dbFile} at http://127.0.0.1:${server.port}/ (open the URL above; Ctrl+C stops it)`);
      console.error(`Recordings may be added from ${libraryRoots.join(', ')} and their sub-folders (--allow DIR adds another)`);
      if (!existsSync(rendererDir)) console.error(`The app's pages are not built (${rendererDir} is missing): run npm run build. The API is served meanwhile.`);
      const signal = await shutdownSignal();
      console.error(`${signal}: stopping`);
      await server.close();
      await service.close();
      db.close();
    });
}
