/** Canvas helpers shared by the spectrogram and the emotion timeline. */

/** Sizes a canvas's backing store to its laid-out size at the screen's pixel ratio; returns the context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): { context: CanvasRenderingContext2D; width: number; height: number } | null {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) return null;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, width, height };
}

/** The x position of `seconds` on a canvas `width` pixels wide that shows [view.start, view.end]. */
export function timeToX(seconds: number, view: { start: number; end: number }, width: number): number {
  const span = view.end - view.start;
  return span > 0 ? ((seconds - view.start) / span) * width : 0;
}
