#!/usr/bin/env node
// The electron package's install script (a binary download) is not in package.json's allowScripts, so
// `npm ci` leaves Electron without its binary. `npm start` calls this first to fetch it on demand.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronDir = join(import.meta.dirname, '..', 'node_modules', 'electron');

/** Mirrors electron/index.js: path.txt names the executable inside dist/. */
function hasBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

/** Runs Electron's installer, echoing its output; resolves to null on success or a one-line reason. */
function runInstaller() {
  return new Promise((resolve) => {
    const installer = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['inherit', 'inherit', 'pipe'],
    });
    let stderr = '';
    installer.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr += chunk;
    });
    installer.on('error', (error) => resolve(error.message));
    installer.on('close', (code, signal) => {
      if (code === 0) return resolve(null);
      // The installer prints the error's stack; its first line ("RequestError: getaddrinfo ENOTFOUND github.com") says why.
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '');
      resolve(firstLine?.trim() ?? `the installer exited with ${signal ?? `code ${code}`}`);
    });
  });
}

if (!existsSync(join(electronDir, 'install.js'))) {
  console.error('The electron package is missing from node_modules; run npm ci first.');
  process.exit(1);
}

if (!hasBinary()) {
  console.log("Downloading Electron's binary (first start only)...");
  const failure = await runInstaller();
  if (failure !== null || !hasBinary()) {
    const reason = failure ?? 'the installer finished but no executable is in node_modules/electron/dist';
    console.error(
      `\nElectron's binary could not be downloaded: ${reason}.\n` +
        'On a machine with internet, run npm start again; tests and the CLI (npx ser) work without it.',
    );
    process.exit(1);
  }
}
