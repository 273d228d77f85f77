import type { Command } from 'commander';
import { decodeFile } from '../../audio/decode.ts';
import { LogMelExtractor } from '../../audio/mel.ts';
import { DEFAULT_FEATURES } from '../../audio/settings.ts';

/** dB values are printed to 1e-6, well inside the 1e-3 dB parity bound and a third of the digits. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('print the log-mel spectrogram (dB, ref = max, top_db 80) of a whole file, unpadded')
    .argument('<file>', 'audio file')
    .option('--json', 'print {"sr","n_mels","frames","db":[[n_mels values] per frame]}')
    .action(async (file: string, opts: { json?: boolean }) => {
      const settings = { ...DEFAULT_FEATURES };
      const audio = await decodeFile(file, { targetRate: settings.sampleRate });
      const mel = new LogMelExtractor(settings).compute(audio.samples);
      const frames = Array.from({ length: mel.frames }, (_, t) =>
        Array.from(mel.db.subarray(t * mel.nMels, (t + 1) * mel.nMels), round),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ sr: settings.sampleRate, n_mels: mel.nMels, frames: mel.frames, db: frames })}\n`);
        return;
      }
      const values = mel.db;
      let min = 0;
      for (const v of values) min = Math.min(min, v);
      console.log(`${file}: ${audio.durationSec.toFixed(3)} s at ${settings.sampleRate} Hz (source ${audio.source.format}, ${audio.source.sampleRate} Hz, ${audio.source.channels} ch)`);
      console.log(`log-mel: ${mel.frames} frames x ${mel.nMels} mels, hop ${settings.hop}, n_fft ${settings.nFft}, ${min.toFixed(1)}..0 dB`);
    });
}
