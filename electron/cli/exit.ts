/**
 * Ends the process once stdout and stderr are flushed. WebAssembly's pthread workers keep Node's
 * event loop alive after the work is done, so command-line entry points end explicitly; waiting
 * for the streams first keeps piped output from being cut short.
 */
export async function exitWhenFlushed(code = Number(process.exitCode ?? 0)): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))));
  process.exit(code);
}
