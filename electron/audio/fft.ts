/**
 * Real FFT of frames in float64: the power spectrum for log-mel features, and the complex spectrum
 * and its inverse for the STFT. librosa-parity at 1e-3 dB near the -80 dB floor needs float64
 * throughout (float32 FFTs drift by about 0.01 dB there), so this is a small hand-written FFT
 * rather than a float32 library.
 *
 * A real frame of length N is packed as N/2 complex values, transformed with an iterative
 * radix-2 FFT, and split into the N/2+1 bins of the real spectrum; the inverse runs the same
 * steps backwards.
 */
export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  /** Twiddles e^{-2*pi*i*j/len} of each stage from len 8 up, stored one stage after another. */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  /** cos/sin of pi*k/half for the real-spectrum split. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** power()'s spectrum before squaring. */
  private readonly specRe: Float64Array;
  private readonly specIm: Float64Array;

  constructor(size: number) {
    if (size < 8 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 8, got ${size}`);
    this.size = size;
    this.half = size / 2;
    this.bins = this.half + 1;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitrev = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    this.twiddleRe = new Float64Array(half);
    this.twiddleIm = new Float64Array(half);
    for (let len = 8, base = 0; len <= half; base += len >> 1, len <<= 1) {
      for (let j = 0; j < len >> 1; j++) {
        this.twiddleRe[base + j] = Math.cos((2 * Math.PI * j) / len);
        this.twiddleIm[base + j] = -Math.sin((2 * Math.PI * j) / len);
      }
    }
    this.splitCos = new Float64Array(half);
    this.splitSin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.splitCos[k] = Math.cos((Math.PI * k) / half);
      this.splitSin[k] = Math.sin((Math.PI * k) / half);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.specRe = new Float64Array(this.bins);
    this.specIm = new Float64Array(this.bins);
  }

  /** Writes |X[k]|^2 for k = 0..size/2 of the real frame into out. */
  power(frame: Float64Array, out: Float64Array): void {
    const { specRe, specIm } = this;
    this.forward(frame, specRe, specIm);
    for (let k = 0; k < this.bins; k++) out[k] = specRe[k] * specRe[k] + specIm[k] * specIm[k];
  }

  /** Writes X[k] for k = 0..size/2 of the real frame into outRe/outIm (numpy's rfft). */
  forward(frame: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { half, re, im, bitrev } = this;
    for (let i = 0; i < half; i++) {
      const j = bitrev[i];
      re[j] = frame[2 * i];
      im[j] = frame[2 * i + 1];
    }
    this.transform();
    // Split Z = FFT(even + i*odd) into X[k] = E[k] + e^{-i*pi*k/half} O[k].
    outRe[0] = re[0] + im[0];
    outIm[0] = 0;
    outRe[half] = re[0] - im[0];
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const zr = re[k];
      const zi = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const c = this.splitCos[k];
      const s = this.splitSin[k];
      outRe[k] = er + c * or + s * oi;
      outIm[k] = ei + c * oi - s * or;
    }
  }

  /**
   * The real frame whose spectrum is X[k], k = 0..size/2 (numpy's irfft: the imaginary parts of
   * the DC and Nyquist bins are ignored).
   */
  inverse(specRe: Float64Array, specIm: Float64Array, frame: Float64Array): void {
    const { half, re, im, bitrev } = this;
    // Rebuild Z[k] = E[k] + i*O[k] from X[k] and X[k + half] = conj(X[half - k]), then
    // z = IFFT(Z) = conj(FFT(conj(Z))) / half holds the even samples in its real part and the odd
    // ones in its imaginary part.
    for (let k = 0; k < half; k++) {
      const xr = specRe[k];
      const xi = k === 0 ? 0 : specIm[k];
      const yr = specRe[half - k];
      const yi = k === 0 ? 0 : -specIm[half - k];
      const er = 0.5 * (xr + yr);
      const ei = 0.5 * (xi + yi);
      // O[k] = (X[k] - conj(X[half - k])) * e^{+i*pi*k/half} / 2
      const dr = 0.5 * (xr - yr);
      const di = 0.5 * (xi - yi);
      const c = this.splitCos[k];
      const s = this.splitSin[k];
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      const j = bitrev[k];
      re[j] = er - oi;
      im[j] = -(ei + or);
    }
    this.transform();
    const scale = 1 / half;
    for (let n = 0; n < half; n++) {
      frame[2 * n] = re[n] * scale;
      frame[2 * n + 1] = -im[n] * scale;
    }
  }

  private transform(): void {
    const { half, re, im } = this;
    // The first two radix-2 stages have trivial twiddles (1 and -i): done together as radix-4.
    for (let a = 0; a < half; a += 4) {
      const r0 = re[a] + re[a + 1];
      const i0 = im[a] + im[a + 1];
      const r1 = re[a] - re[a + 1];
      const i1 = im[a] - im[a + 1];
      const r2 = re[a + 2] + re[a + 3];
      const i2 = im[a + 2] + im[a + 3];
      const r3 = re[a + 2] - re[a + 3];
      const i3 = im[a + 2] - im[a + 3];
      re[a] = r0 + r2;
      im[a] = i0 + i2;
      re[a + 2] = r0 - r2;
      im[a + 2] = i0 - i2;
      // (r3 + i*i3) * -i = i3 - i*r3
      re[a + 1] = r1 + i3;
      im[a + 1] = i1 - r3;
      re[a + 3] = r1 - i3;
      im[a + 3] = i1 + r3;
    }
    // Then two radix-2 stages per pass (radix-2^2): three complex multiplies per four points
    // instead of four, and half the passes over memory.
    let len = 8;
    for (; len * 2 <= half; len <<= 2) this.twoStages(len);
    if (len <= half) this.oneStage(len);
  }

  /** Radix-2 stages of length len and 2*len in one pass. */
  private twoStages(len: number): void {
    const { half, re, im, twiddleRe, twiddleIm } = this;
    const q = len >> 1;
    const base1 = len / 2 - 4;
    const base2 = len - 4;
    for (let start = 0; start < half; start += 2 * len) {
      for (let j = 0; j < q; j++) {
        const w1r = twiddleRe[base1 + j];
        const w1i = twiddleIm[base1 + j];
        const w2r = twiddleRe[base2 + j];
        const w2i = twiddleIm[base2 + j];
        const a0 = start + j;
        const a1 = a0 + q;
        const a2 = a0 + len;
        const a3 = a2 + q;
        let tr = re[a1] * w1r - im[a1] * w1i;
        let ti = re[a1] * w1i + im[a1] * w1r;
        const y0r = re[a0] + tr;
        const y0i = im[a0] + ti;
        const y1r = re[a0] - tr;
        const y1i = im[a0] - ti;
        tr = re[a3] * w1r - im[a3] * w1i;
        ti = re[a3] * w1i + im[a3] * w1r;
        const y2r = re[a2] + tr;
        const y2i = im[a2] + ti;
        const y3r = re[a2] - tr;
        const y3i = im[a2] - ti;
        const ur = y2r * w2r - y2i * w2i;
        const ui = y2r * w2i + y2i * w2r;
        // y3 * w2 * (-i): the second twiddle of the longer stage is w2 rotated by -90 degrees.
        const vr = y3r * w2i + y3i * w2r;
        const vi = -(y3r * w2r - y3i * w2i);
        re[a0] = y0r + ur;
        im[a0] = y0i + ui;
        re[a2] = y0r - ur;
        im[a2] = y0i - ui;
        re[a1] = y1r + vr;
        im[a1] = y1i + vi;
        re[a3] = y1r - vr;
        im[a3] = y1i - vi;
      }
    }
  }

  /** The last radix-2 stage when the stage count is odd. */
  private oneStage(len: number): void {
    const { half, re, im, twiddleRe, twiddleIm } = this;
    const halfLen = len >> 1;
    const base = len / 2 - 4;
    for (let start = 0; start < half; start += len) {
      for (let j = 0; j < halfLen; j++) {
        const wr = twiddleRe[base + j];
        const wi = twiddleIm[base + j];
        const a = start + j;
        const b = a + halfLen;
        const br = re[b] * wr - im[b] * wi;
        const bi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - br;
        im[b] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
      }
    }
  }
}
