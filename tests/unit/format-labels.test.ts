// The words and numbers the studio views show: counts with their noun in the right number, model metadata keys
// as labels and accuracies in one percent format.
import { describe, expect, it } from 'vitest';
import { formatMetadataValue, metadataLabel, plural } from '../../renderer/src/lib/format.ts';

describe('plural', () => {
  it('says "1 clip" and "0 clips", "2 clips"', () => {
    expect(plural(1, 'clip')).toBe('1 clip');
    expect(plural(0, 'clip')).toBe('0 clips');
    expect(plural(2, 'clip')).toBe('2 clips');
    expect(plural(3, 'class', 'classes')).toBe('3 classes');
  });
});

describe('metadataLabel', () => {
  it('spells out camelCase and snake_case keys, with the names people use for the known ones', () => {
    expect(metadataLabel('createdAt')).toBe('Created');
    expect(metadataLabel('baseModel')).toBe('Base model');
    expect(metadataLabel('validation_accuracy')).toBe('Validation accuracy');
    expect(metadataLabel('speaker_independent_accuracy')).toBe('Speaker independent accuracy');
    expect(metadataLabel('epochs')).toBe('Epochs');
    expect(metadataLabel('valLoss')).toBe('Val loss');
  });
});

describe('formatMetadataValue', () => {
  it('shows fractional accuracies as the one-decimal percents the model cards use', () => {
    expect(formatMetadataValue('validation_accuracy', '0.4917')).toBe('49.2%');
    expect(formatMetadataValue('test_accuracy', 0.5222)).toBe('52.2%');
    // Already worded by the model card: left as it is.
    expect(formatMetadataValue('speaker_independent_accuracy', '52.2% (8 test actors)')).toBe('52.2% (8 test actors)');
  });

  it('leaves counts and other numbers alone, and shows times as local dates', () => {
    expect(formatMetadataValue('epochs', 26)).toBe('26');
    expect(formatMetadataValue('seed', '42')).toBe('42');
    expect(formatMetadataValue('createdAt', '2026-12-01T16:17:28.368Z')).toBe(new Date('2026-12-01T16:17:28.368Z').toLocaleString());
    expect(formatMetadataValue('createdAt', '2026-12-01T16:17:28.368Z')).not.toContain('T16');
  });
});
