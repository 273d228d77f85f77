/**
 * Power spectrum of real frames in float64. librosa-parity at 1e-3 dB near the -80 dB floor needs
 * float64 throughout (float32 FFTs drift by about 0.01 dB there), so this is a small hand-written
 * FFT rather than a float32 library.
 *
 * A real frame of length N is packed as N/2 complex values, transformed with an iterative
 * radix-2 FFT, and split into the N/2+1 bins of the real spectrum.
 */
export class RealPowerSpectrum {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  /** cos/sin of 2*pi*k/half for the half-size complex FFT. */
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;
  /** cos/sin of pi*k/half for the real-spectrum split. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
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
    this.cosTable = new Float64Array(half / 2);
    this.sinTable = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k++) {
      this.cosTable[k] = Math.cos((2 * Math.PI * k) / half);
      this.sinTable[k] = Math.sin((2 * Math.PI * k) / half);
    }
    this.splitCos = new Float64Array(half);
    this.splitSin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.splitCos[k] = Math.cos((Math.PI * k) / half);
      this.splitSin[k] = Math.sin((Math.PI * k) / half);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /** Writes |X[k]|^2 for k = 0..size/2 of the real frame into out. */
  power(frame: Float64Array, out: Float64Array): void {
    const { half, re, im, bitrev } = this;
    for (let i = 0; i < half; i++) {
      const j = bitrev[i];
      re[j] = frame[2 * i];
      im[j] = frame[2 * i + 1];
    }
    this.transform();
    // Split Z = FFT(even + i*odd) into X[k] = E[k] + e^{-i*pi*k/half} O[k].
    out[0] = (re[0] + im[0]) ** 2;
    out[half] = (re[0] - im[0]) ** 2;
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
      const xr = er + c * or + s * oi;
      const xi = ei + c * oi - s * or;
      out[k] = xr * xr + xi * xi;
    }
  }

  private transform(): void {
    const { half, re, im, cosTable, sinTable } = this;
    for (let len = 2; len <= half; len <<= 1) {
      const halfLen = len >> 1;
      const step = half / len;
      for (let start = 0; start < half; start += len) {
        for (let j = 0, t = 0; j < halfLen; j++, t += step) {
          const wr = cosTable[t];
          const wi = -sinTable[t];
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
}
