/**
 * The main window's size, position and maximised state, kept in a small JSON file between launches.
 * A missing or damaged file gives the defaults; a position on a display that is gone is dropped.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const WindowStateSchema = z.object({
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean().default(false),
});

export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadWindowState(file: string, defaults: { width: number; height: number }): WindowState {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // No file yet, or not JSON: start from the defaults.
  }
  return { ...defaults, maximized: false };
}

/** Written beside the target and renamed over it, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(WindowStateSchema.parse(state))}\n`);
  renameSync(temp, file);
}

/** The state without its position when less than 100 x 50 pixels of the window would show on any display's work area. */
export function onScreen(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = workAreas.some((area) => {
    const w = Math.min(x + state.width, area.x + area.width) - Math.max(x, area.x);
    const h = Math.min(y + state.height, area.y + area.height) - Math.max(y, area.y);
    return w >= 100 && h >= 50;
  });
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}
