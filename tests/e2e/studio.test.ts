/**
 * The model workshop end to end, in real Chromium against `ser serve`: a researcher inspects a folder of
 * labelled clips (a toy set: low tones, high tones, noise, four speakers), trains a model on it from the Train
 * view and watches the curves fill in, evaluates it, makes it the active model, classifies a recording with it,
 * exports its evaluation as CSV, and listens live through Chromium's fake microphone. Screenshots of each view go
 * to tmp/e2e-screenshots/studio-*.png.
 */
import { csvParse } from 'd3-dsv';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport, ModelEntry, RecordingSummary, TrainingState } from '../../electron/api/transport/contract.ts';
import { compareAccuracies } from '../../electron/shared/accuracy-comparison.ts';
import { createRandom } from '../../electron/shared/random.ts';
import { describeTrainingOverlap, overlapsTraining } from '../../electron/shared/training-overlap.ts';
import { evaluationFileName } from '../../renderer/src/lib/evaluation-file-name.ts';
import { chromiumAvailable, CHROMIUM_PATH, fakeMicrophoneArgs } from '../helpers/chromium.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import type { ServeProcess } from '../helpers/serve-process.ts';
import { toyClip, TOY_RATE, writeToyDataset, type ToyClass } from '../helpers/toy-data.ts';
import { encodeWav, inSyllables } from '../helpers/wav-writer.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshotDir = join(projectRoot, 'tmp', 'e2e-screenshots');
const CLASSES: readonly ToyClass[] = ['low', 'high', 'noise'];
const CLIPS_PER_CLASS = 20;
const MODEL_NAME = 'toy-tones';
const TRAINING_TIMEOUT_MS = 200_000;

describe.skipIf(!chromiumAvailable)('the model workshop in Chromium, served by ser serve', () => {
  let workDir: string;
  let libraryDir: string;
  let datasetDir: string;
  let server: ServeProcess;
  let app: AppSession;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `studio-${name}.png`) });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  const view = (id: string) => page.locator(`#view-${id}`);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-studio-e2e-'));
    libraryDir = join(workDir, 'library');
    datasetDir = join(libraryDir, 'toy');
    writeToyDataset(datasetDir, { classes: CLASSES, clipsPerClass: CLIPS_PER_CLASS, speakers: 4, seed: 7 });
    const random = createRandom(99);
    // A recording to classify in the library (high tones in syllables, which the voice detector takes
    // for speech), and the fake microphone's input (a steady high tone: no speech).
    writeFileSync(join(libraryDir, 'probe-high.wav'), encodeWav({ sampleRate: TOY_RATE, format: 'pcm16', channels: [inSyllables(toyClip('high', random, 3), TOY_RATE)] }));
    const microphoneWav = join(workDir, 'microphone.wav');
    writeFileSync(microphoneWav, encodeWav({ sampleRate: 48_000, format: 'pcm16', channels: [tone(2200, 6, 48_000)] }));

    mkdirSync(screenshotDir, { recursive: true });
    for (const old of readdirSync(screenshotDir).filter((f) => f.startsWith('studio-'))) rmSync(join(screenshotDir, old));
    console.log(`e2e screenshots: ${screenshotDir}/studio-*.png`);

    // Models, settings and the feature cache stay in the temporary folder.
    app = await openAppSession(workDir, { env: { SER_DATA_DIR: join(workDir, 'data'), SER_CACHE_DIR: join(workDir, 'cache') }, chromiumArgs: fakeMicrophoneArgs(microphoneWav) });
    ({ server, page } = app);
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('switches views with the tab bar and the keyboard', async () => {
    await page.getByText('Your library is empty.').waitFor();
    await addFolder(page, libraryDir);
    const expected = CLASSES.length * CLIPS_PER_CLASS + 1;
    await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Recordings"] tbody tr').length === n, expected, { timeout: 90_000 });

    await tab('Library').focus();
    await page.keyboard.press('ArrowRight');
    expect(await tab('Data sets').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => view('datasets').isVisible()).toBe(true);
    expect(await view('library').isVisible()).toBe(false);
    await page.keyboard.press('Alt+1');
    expect(await tab('Library').getAttribute('aria-selected')).toBe('true');
    // The library kept its state while hidden.
    expect(await page.locator('table[aria-label="Recordings"] tbody tr').count()).toBe(expected);
  });

  it('inspects the toy folder in Data sets: the charts show the counts', async () => {
    await tab('Data sets').click();
    await page.getByLabel('Data set folder').fill(datasetDir);
    await page.getByLabel('Labels CSV').fill(join(datasetDir, 'labels.csv'));
    await page.getByRole('button', { name: 'Inspect' }).click();
    const labelsChart = page.getByRole('img', { name: /^Clips per label: / });
    await labelsChart.waitFor({ timeout: 60_000 });
    const labelsName = (await labelsChart.getAttribute('aria-label')) ?? '';
    for (const label of CLASSES) expect(labelsName).toContain(`${label} ${CLIPS_PER_CLASS}`);
    expect(await labelsChart.locator('rect.fill').count()).toBe(CLASSES.length);
    // Four speakers, odd male and even female, each with a quarter of every class.
    const speakersName = (await page.getByRole('img', { name: /^Clips per speaker: / }).getAttribute('aria-label')) ?? '';
    for (const speaker of ['1', '2', '3', '4']) expect(speakersName).toContain(`${speaker} ${(CLASSES.length * CLIPS_PER_CLASS) / 4}`);
    const gendersName = (await page.getByRole('img', { name: /^Clips per gender: / }).getAttribute('aria-label')) ?? '';
    for (const gender of ['male', 'female']) expect(gendersName).toMatch(new RegExp(`[:,] ${gender} ${(CLASSES.length * CLIPS_PER_CLASS) / 2} \\(2 speakers\\)`));
    // Nothing was left out, so there is no card about it.
    expect(await page.getByRole('region', { name: 'Files left out' }).count()).toBe(0);
    await shot('datasets');
  });

  it('trains a model from the Train view and draws its curves epoch by epoch', { timeout: TRAINING_TIMEOUT_MS + 30_000 }, async () => {
    await tab('Train').click();
    const form = page.getByRole('form', { name: 'Training setup' });
    expect(await form.getByLabel('Training data set').inputValue()).not.toBe('');
    await form.getByLabel('Model name', { exact: true }).fill(MODEL_NAME);
    // From scratch: the test must not depend on whether the bundled model has been trained yet.
    await form.getByLabel('Base model', { exact: true }).selectOption({ label: 'Nothing: train from scratch' });
    expect(await form.getByLabel(/Freeze the base/).isDisabled()).toBe(true);
    expect(await form.getByLabel(/By speaker/).isChecked()).toBe(true);
    await form.getByLabel('Epochs', { exact: true }).fill('3');
    await form.getByLabel('Patience', { exact: true }).fill('3');
    await form.getByRole('button', { name: 'Start training' }).click();

    const progress = page.getByRole('region', { name: 'Training progress' });
    const lossPoints = progress.getByRole('img', { name: /^Loss: / }).locator('circle.point');
    // Training and validation get a point each per epoch.
    await expect.poll(() => lossPoints.count(), { timeout: TRAINING_TIMEOUT_MS, interval: 500 }).toBeGreaterThanOrEqual(2);
    await shot('train-running');
    const status = progress.getByRole('status');
    await status.getByText(/^Finished\. Kept epoch \d/).waitFor({ timeout: TRAINING_TIMEOUT_MS });

    const state = (await server.call<TrainingState | null>('training.state'))!;
    expect(state.status).toBe('completed');
    expect(state.modelId).not.toBeNull();
    expect(await lossPoints.count()).toBe(2 * state.history.length);
    expect(await progress.getByRole('img', { name: /^Accuracy: / }).locator('circle.point').count()).toBe(2 * state.history.length);
    await shot('train');
  });

  it('makes the new model active in Models', async () => {
    await tab('Models').click();
    const table = page.getByRole('table', { name: 'Models' });
    const row = table.locator('tbody tr').filter({ hasText: MODEL_NAME });
    await row.waitFor();
    // The bundled model cannot be deleted: no Delete button, an explanation instead.
    const bundledRow = table.locator('tbody tr').filter({ has: page.locator('.tag', { hasText: 'bundled' }) });
    expect(await bundledRow.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await bundledRow.getByText('cannot be deleted').waitFor();

    await row.getByRole('button', { name: `Make ${MODEL_NAME} active` }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    await page.getByRole('contentinfo', { name: 'Status' }).getByText(`Model: ${MODEL_NAME}`).waitFor();
    const entries = await server.call<ModelEntry[]>('models.list');
    expect(entries.find((m) => m.active)?.name).toBe(MODEL_NAME);
    await shot('models');
  });

  it('evaluates the model on the data set: accuracy and the confusion heat map', async () => {
    await tab('Evaluate').click();
    const run = page.getByRole('form', { name: 'Run an evaluation' });
    expect(await run.getByLabel('Model to evaluate').locator('option:checked').textContent()).toContain(MODEL_NAME);
    const before = (await server.call<EvaluationReport[]>('evaluations.list')).length;
    await run.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await run.getByRole('button', { name: 'Evaluate', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 90_000 });
    const reports = await server.call<EvaluationReport[]>('evaluations.list');
    expect(reports).toHaveLength(before + 1);
    const report = newest(reports);
    expect(report.clips).toBe(CLASSES.length * CLIPS_PER_CLASS);

    const card = page.getByRole('article', { name: `Evaluation of ${MODEL_NAME}` }).first();
    expect(await card.getByLabel('Accuracy', { exact: true }).textContent()).toBe(`${(report.accuracy * 100).toFixed(1)}%`);
    const heatMap = card.getByRole('img', { name: /^Confusion matrix/ });
    expect(await heatMap.locator('.cell rect').count()).toBe(report.labels.length ** 2);
    const counts = (await heatMap.locator('.cell text').allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(report.clips);
    expect(counts).toEqual(report.confusion.flat());
    expect(await card.getByLabel('Accuracy 95% interval').textContent()).toMatch(/^95% \d+–\d+%$/);
    const reliability = card.getByRole('img', { name: /^Reliability diagram, expected calibration error \d\.\d{3}/ });
    expect(await reliability.locator('rect.bar').count()).toBe(report.calibration?.bins.filter((b) => b.count > 0).length);

    // Side by side with the training run's own test evaluation: its held-out clips, not every clip, and the view says so.
    await page.getByLabel('Evaluation to compare with').selectOption({ index: 1 });
    await expect.poll(() => page.getByRole('article', { name: /^Evaluation of / }).count()).toBe(2);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'on different clips' }).count()).toBe(1);
    // Each side's accuracy with its clips and interval, and whether the intervals leave the difference to chance.
    const otherId = await page.getByLabel('Evaluation to compare with').inputValue();
    const other = (await server.call<EvaluationReport[]>('evaluations.list')).find((e) => e.evaluationId === otherId)!;
    const accuracy = compareAccuracies(report, other);
    const comparison = (await page.getByRole('status', { name: 'Comparison' }).textContent()) ?? '';
    expect(comparison).toContain(`left ${(100 * report.accuracy).toFixed(1)}% of ${report.clips} clips (95% ${(100 * accuracy.left.interval.lower).toFixed(1)}–`);
    expect(comparison).toContain(`right ${(100 * other.accuracy).toFixed(1)}% of ${other.clips} clips (95% `);
    expect(comparison.includes('The 95% intervals overlap')).toBe(accuracy.withinOverlap);
    // Evaluated on every clip, the speakers it was trained on among them: the card says so.
    expect(overlapsTraining(report.trainingOverlap!)).toBe(true);
    expect(await card.getByRole('alert', { name: 'Training overlap' }).textContent()).toBe(describeTrainingOverlap(report.trainingOverlap!));
    await shot('evaluate');
  });

  it('exports the evaluation as CSV into the library folder', async () => {
    const file = join(libraryDir, 'evaluation.csv');
    const pathBox = page.getByLabel('Evaluation CSV path');
    const shownReport = newest(await server.call<EvaluationReport[]>('evaluations.list'));
    expect(await pathBox.inputValue()).toBe(`${libraryDir}/${evaluationFileName(shownReport)}`);
    await pathBox.fill(file);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('status').filter({ hasText: `rows to ${file}` }).waitFor();

    const shown = newest(await server.call<EvaluationReport[]>('evaluations.list'));
    const rows = csvParse(await readFile(file, 'utf8'));
    expect(rows.columns.slice(0, 10)).toEqual(['model_id', 'model', 'dataset', 'clips', 'evaluated_at', 'label', 'support', 'precision', 'recall', 'f1']);
    for (const row of rows) expect([row.model_id, row.model, row.dataset, Number(row.clips), row.evaluated_at]).toEqual([shown.modelId, MODEL_NAME, shown.datasetSource, shown.clips, shown.createdAt]);
    for (const [i, label] of shown.labels.entries()) {
      const row = rows.find((r) => r.label === label)!;
      expect(Number(row.support)).toBe(shown.classes[i].support);
      expect(shown.labels.map((l) => Number(row[`predicted_${l}`]))).toEqual(shown.confusion[i]);
    }
    expect(Number(rows.find((r) => r.label === 'accuracy')!.f1)).toBeCloseTo(shown.accuracy, 5);
  });

  it('classifies a recording in the Library with the active model: the chip shows a toy label', async () => {
    await tab('Library').click();
    await page.getByRole('button', { name: 'probe-high.wav' }).click();
    await page.getByRole('heading', { name: 'probe-high.wav' }).waitFor();
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    const chip = page.locator('.recording .title .chip');
    await chip.waitFor({ timeout: 60_000 });
    expect((await chip.textContent())?.trim()).toMatch(new RegExp(`^(${CLASSES.join('|')})\\s*\\d+%$`));
    const bars = page.getByRole('list', { name: 'Probabilities of the current window' }).getByRole('meter');
    await expect.poll(() => bars.count()).toBe(CLASSES.length);
    await shot('library');
  });

  it('listens live through the fake microphone and records the session into the library', async () => {
    const before = (await server.call<RecordingSummary[]>('recordings.list')).length;
    await tab('Live').click();
    await page.getByLabel('Record to the library').check();
    await page.getByRole('button', { name: 'Start listening' }).click();
    const band = page.getByRole('img', { name: /^Live emotion band/ });
    // The first window completes after 3 s of audio, then one every 0.5 s.
    await expect.poll(async () => Number(/(\d+) windows/.exec((await band.getAttribute('aria-label')) ?? '')?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    // The microphone hears a steady tone: no speech, so no emotion, in the band and the latest window.
    expect(await band.getAttribute('aria-label')).toMatch(/latest no speech$/);
    await expect.poll(() => page.getByText('No speech in the latest window').count()).toBe(1);
    const bars = page.getByRole('list', { name: 'Probabilities of the current window' }).getByRole('meter');
    expect(await bars.count()).toBe(CLASSES.length);
    const values = await bars.evaluateAll((meters) => meters.map((m) => Number(m.getAttribute('aria-valuenow'))));
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(Number(await page.getByRole('meter', { name: 'Input level' }).getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await shot('live');

    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText(new RegExp(`^Saved ${libraryDir}/.+\\.wav with its predictions\\.$`)).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await server.call<RecordingSummary[]>('recordings.list')).length).toBe(before + 1);
  });

  it('raised no errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});

function newest(reports: EvaluationReport[]): EvaluationReport {
  return [...reports].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** A pure tone at `rate`, for the fake microphone. */
function tone(freq: number, seconds: number, rate: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = 0.4 * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

if (!chromiumAvailable) {
  describe('the model workshop in Chromium', () => {
    it.skip(`needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SER_CHROMIUM)`, () => {});
  });
}
