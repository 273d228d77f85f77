import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWindowState, onScreen, saveWindowState } from '../../electron/window-state.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-window-state-');
afterAll(cleanup);
const defaults = { width: 1200, height: 800 };

describe('window state', () => {
  it('round-trips size, position and maximised state through its JSON file', () => {
    const file = join(dir, 'nested', 'window-state.json');
    saveWindowState(file, { width: 1000, height: 700, x: 40, y: 30, maximized: true });
    expect(loadWindowState(file, defaults)).toEqual({ width: 1000, height: 700, x: 40, y: 30, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ width: 1000, height: 700, x: 40, y: 30, maximized: true });
  });

  it('falls back to the defaults when the file is missing, not JSON, or out of range', () => {
    expect(loadWindowState(join(dir, 'none.json'), defaults)).toEqual({ ...defaults, maximized: false });
    const file = join(dir, 'bad.json');
    for (const text of ['{', '{"width": 5, "height": 700}', '{"width": "wide", "height": 700}']) {
      writeFileSync(file, text);
      expect(loadWindowState(file, defaults)).toEqual({ ...defaults, maximized: false });
    }
  });

  it('drops a position that would leave the window off every display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const state = { width: 800, height: 600, maximized: false };
    expect(onScreen({ ...state, x: 100, y: 100 }, displays)).toEqual({ ...state, x: 100, y: 100 });
    expect(onScreen({ ...state, x: 3000, y: 100 }, displays)).toEqual(state);
    // A second display to the right makes that position visible again.
    expect(onScreen({ ...state, x: 3000, y: 100 }, [...displays, { x: 1920, y: 0, width: 2560, height: 1440 }])).toMatchObject({ x: 3000 });
  });
});
