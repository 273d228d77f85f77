import { describeCalibration } from '../ml/calibration.ts';
import type { ModelMetadata } from '../ml/metadata.ts';
import { headlineAccuracy } from '../ml/training-metadata.ts';

/** Says plainly whether a model's predictions mean anything, for every human-readable output. */
export function modelWarning(metadata: ModelMetadata): string | null {
  return metadata.trained
    ? null
    : `WARNING: model "${metadata.name}" is UNTRAINED (random weights): its predictions are meaningless.`;
}

export function describeModel(dir: string, metadata: ModelMetadata): string {
  const f = metadata.features;
  const lines = [
    `Model: ${metadata.name} (${dir})${metadata.trained ? '' : ' UNTRAINED, random weights'}`,
    `  labels: ${metadata.labels.join(', ')}`,
    `  features: ${f.nMels} mels x ${f.windowSeconds} s at ${f.sampleRate} Hz (n_fft ${f.nFft}, hop ${f.hop}, top_db ${f.topDb}), normalisation ${f.normalisation}`,
    `  created: ${metadata.provenance.createdAt}${metadata.provenance.data ? `, data: ${metadata.provenance.data}` : ''}`,
  ];
  const accuracy = headlineAccuracy(metadata);
  if (accuracy) lines.push(`  accuracy: ${accuracy}`);
  lines.push(`  confidence: ${metadata.calibration ? describeCalibration(metadata.calibration) : 'not calibrated (raw outputs, nothing marked uncertain)'}`);
  const metrics = metadata.metrics ?? {};
  const entries = Object.entries(metrics).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  lines.push(entries.length ? `  metrics: ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}` : '  metrics: none recorded');
  const warning = modelWarning(metadata);
  if (warning) lines.push(warning);
  return lines.join('\n');
}
