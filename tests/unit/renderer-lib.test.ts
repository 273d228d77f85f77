// The renderer's pure helpers: the spectrogram's frequency axis, the waveform ruler and the UI's number formats.
import { describe, expect, it } from 'vitest';
import { FinePeaks } from '../../renderer/src/lib/fine-peaks.ts';
import { exportFileName, formatDuration, formatModelVersion, formatPercent, joinPath } from '../../renderer/src/lib/format.ts';
import { frequencyTicks, hzToMel, melRowFraction } from '../../renderer/src/lib/mel.ts';
import { rulerSpacing } from '../../renderer/src/lib/time-axis.ts';

describe('the Slaney mel scale', () => {
  it('is linear below 1 kHz and logarithmic above, as librosa computes it', () => {
    expect(hzToMel(500)).toBeCloseTo(7.5, 10);
    expect(hzToMel(1000)).toBeCloseTo(15, 10);
    // 15 + 27 * ln(2) / ln(6.4)
    expect(hzToMel(2000)).toBeCloseTo(25.08188, 4);
  });

  it('places a band centre at the middle of its image row', () => {
    // 128 bands over 0..11025 Hz: 1 kHz (15 mel) sits at band 15 / (49.9101 / 129) - 1 = 37.77.
    expect(melRowFraction(1000, 128, 0, 11025)).toBeCloseTo(38.27 / 128, 3);
    expect(melRowFraction(11025, 128, 0, 11025)).toBeCloseTo(128.5 / 128, 10);
  });

  it('labels round frequencies that stay apart, dropping crowded low ones first', () => {
    const ticks = frequencyTicks(128, 0, 11025, 0.1);
    expect(ticks.map((t) => t.hz)).toEqual([8000, 4000, 2000, 1000, 500]);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i - 1].fraction - ticks[i].fraction).toBeGreaterThanOrEqual(0.1);
    expect(frequencyTicks(128, 0, 11025, 0.02).map((t) => t.hz)).toEqual([8000, 4000, 2000, 1000, 500, 250, 100]);
  });
});

describe('rulerSpacing', () => {
  it('labels round steps at least 64 px apart, with minor notches no closer than 40 px', () => {
    expect(rulerSpacing(139)).toEqual({ labelSec: 0.5, tickSec: 0.5 });
    expect(rulerSpacing(2000)).toEqual({ labelSec: 0.1, tickSec: 0.02 });
    expect(rulerSpacing(1)).toEqual({ labelSec: 120, tickSec: 60 });
    expect(rulerSpacing(0.001).labelSec).toBe(3600);
  });
});

describe('formats', () => {
  it('writes durations as m:ss with the asked decimals', () => {
    expect(formatDuration(61.5)).toBe('1:01.5');
    expect(formatDuration(3, 0)).toBe('0:03');
    expect(formatDuration(0.4, 2)).toBe('0:00.40');
    expect(formatDuration(null)).toBe('–');
    expect(formatPercent(0.126)).toBe('13%');
  });

  it('shows a trained model’s timestamp version as its date, any other version as it is', () => {
    const version = new Date(2026, 10, 25, 17, 48).toISOString();
    expect(formatModelVersion(version)).toBe(new Date(2026, 10, 25).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }));
    expect(formatModelVersion(version)).toMatch(/2026/);
    expect(formatModelVersion('1.2.0')).toBe('1.2.0');
    expect(formatModelVersion('2026-13-45Tnonsense')).toBe('2026-13-45Tnonsense');
  });

  it('names exports by kind and local time, joined with the folder’s own separator', () => {
    expect(exportFileName('summary', new Date(2025, 0, 2, 3, 4))).toBe('ser-summary-20250102-0304.csv');
    expect(joinPath('/data/clips', 'a.csv')).toBe('/data/clips/a.csv');
    expect(joinPath('/data/clips/', 'a.csv')).toBe('/data/clips/a.csv');
    expect(joinPath('C:\\data', 'a.csv')).toBe('C:\\data\\a.csv');
  });
});

describe('FinePeaks', () => {
  const ramp = (n: number) => Array.from({ length: n }, (_, i) => i / n);
  const covers = (request: { startSec: number; endSec: number; points: number }, from: number, to: number) =>
    request.startSec <= from && request.endSec >= to && request.points <= 20_000;

  it('takes every point of a short recording at once and never asks for more', () => {
    expect(FinePeaks.overviewPoints(3)).toBe(6000);
    const fine = new FinePeaks(3, ramp(6000));
    expect(fine.values).toHaveLength(6000);
    expect(fine.wanted({ start: 1, end: 1.5 }, 2000)).toBeNull();
  });

  it('sharpens a long recording around the view, once, and only when zoomed past the overview', () => {
    expect(FinePeaks.overviewPoints(600)).toBe(20_000); // 33 points a second
    const fine = new FinePeaks(600, ramp(20_000));
    expect(fine.values).toHaveLength(1_200_000);
    expect(fine.values[59]).toBe(0); // each overview point stands for 60 fine ones
    expect(fine.values[60]).toBeCloseTo(1 / 20_000, 9);
    expect(fine.wanted({ start: 100, end: 101 }, 30)).toBeNull(); // 30 px/s: the overview has a point per pixel
    const request = fine.wanted({ start: 100, end: 101 }, 1360)!;
    // The view and a view's width either side, widened to whole blocks of points.
    expect(covers(request, 99, 102)).toBe(true);
    expect(request.endSec - request.startSec).toBeLessThan(3.3);
    expect(request.points).toBe(Math.round((request.endSec - request.startSec) * 2000));
    fine.fill(request, new Array(request.points).fill(0.5));
    expect(fine.values[Math.round(request.startSec * 2000)]).toBe(0.5);
    expect(fine.values[Math.round(request.endSec * 2000) - 1]).toBe(0.5);
    expect(fine.values[Math.round(request.endSec * 2000)]).not.toBe(0.5);
    expect(fine.wanted({ start: 100, end: 101 }, 1360)).toBeNull();
    const next = fine.wanted({ start: 101.5, end: 102.5 }, 1360)!;
    expect(covers(next, 100.5, 103.5)).toBe(true);
  });

  it('asks for one call’s worth around the middle of a wide view, and is then done with it', () => {
    const fine = new FinePeaks(600, ramp(20_000));
    const request = fine.wanted({ start: 0, end: 60 }, 50)!;
    expect(request.points).toBeLessThanOrEqual(20_000);
    expect(covers(request, 25.2, 34.8)).toBe(true);
    fine.fill(request, new Array(request.points).fill(0.25));
    expect(fine.wanted({ start: 0, end: 60 }, 50)).toBeNull();
  });

  it('keeps hours-long recordings within its size limit', () => {
    const fine = new FinePeaks(3 * 3600, ramp(20_000));
    expect(fine.values.length).toBeLessThanOrEqual(4_000_000);
    expect(fine.density).toBeCloseTo(4_000_000 / 10_800, 6);
    const request = fine.wanted({ start: 7200, end: 7201 }, 2000)!;
    expect(covers(request, 7199, 7202)).toBe(true);
    fine.fill(request, new Array(request.points).fill(0.1));
    expect(fine.wanted({ start: 7200, end: 7201 }, 2000)).toBeNull();
  });
});
