/** Turns the API's quantised log-mel values into an image: one pixel per frame and mel band, low bands at the bottom. */
import type { Spectrogram } from '../../../electron/api/transport/contract';
import { MAGMA } from './colors';

function decodeLevels(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A frames x nMels canvas coloured with magma, for drawImage to scale into view. */
export function spectrogramImage(spectrogram: Spectrogram): HTMLCanvasElement {
  const { frames, nMels } = spectrogram;
  const levels = decodeLevels(spectrogram.data);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, frames);
  canvas.height = nMels;
  const context = canvas.getContext('2d');
  if (!context || frames === 0) return canvas;
  const image = context.createImageData(frames, nMels);
  for (let frame = 0; frame < frames; frame++) {
    for (let mel = 0; mel < nMels; mel++) {
      const level = levels[frame * nMels + mel] * 3;
      const at = ((nMels - 1 - mel) * frames + frame) * 4;
      image.data[at] = MAGMA[level];
      image.data[at + 1] = MAGMA[level + 1];
      image.data[at + 2] = MAGMA[level + 2];
      image.data[at + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
