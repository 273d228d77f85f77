/** Colours with meaning: one per emotion (stable across views) and a perceptual map for spectrogram energy. */

const EMOTION_COLOURS: Record<string, string> = {
  neutral: '#8b929c',
  calm: '#3fa7a3',
  happy: '#e3b23c',
  sad: '#4f74d6',
  angry: '#d9534f',
  fearful: '#8e62cf',
  disgust: '#6a9f3c',
  surprised: '#e2803a',
};

/** For labels outside the eight emotions (a session's own label set), picked by the label's position. */
const SPARE_COLOURS = ['#c05c9a', '#5b8fa8', '#a8875b', '#7b7fd4', '#4fa36b', '#c9704f', '#9a9a3c', '#6f6f80'];

/** A label's colour: its label set's own for it where `colours` (in the order of `labels`) gives one, else the app's. */
export function labelColour(label: string, labels: readonly string[] = [], colours: readonly (string | null)[] = []): string {
  const own = colours[labels.indexOf(label)];
  if (own) return own;
  const known = EMOTION_COLOURS[label.toLowerCase()];
  if (known) return known;
  const index = Math.max(0, labels.indexOf(label));
  return SPARE_COLOURS[index % SPARE_COLOURS.length];
}

/** `#rrggbb` with an alpha, as a CSS colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Matplotlib's magma at nine evenly spaced points; perceptually uniform, dark for silence, light for energy. */
const MAGMA_STOPS = ['#000004', '#1c1044', '#4f127b', '#812581', '#b5367a', '#e55064', '#fb8761', '#fec287', '#fcfdbf'];

/** 256 RGB triples (flat) interpolating the magma stops, indexed by a quantised level 0..255. */
export const MAGMA: Uint8ClampedArray = (() => {
  const stops = MAGMA_STOPS.map((hex) => {
    const n = Number.parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  });
  const lut = new Uint8ClampedArray(256 * 3);
  for (let level = 0; level < 256; level++) {
    const x = (level / 255) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const t = x - i;
    for (let c = 0; c < 3; c++) lut[level * 3 + c] = stops[i][c] + (stops[i + 1][c] - stops[i][c]) * t;
  }
  return lut;
})();

/** A CSS colour from the magma map at `fraction` in [0, 1]. */
export function magmaAt(fraction: number): string {
  const level = Math.round(Math.min(1, Math.max(0, fraction)) * 255) * 3;
  return `rgb(${MAGMA[level]}, ${MAGMA[level + 1]}, ${MAGMA[level + 2]})`;
}
