/**
 * MaxPoolGrad for the wasm backend over the wasm heap. The stock kernel took ~0.6 s for the SER
 * model's first pooling layer at batch 32; this one walks each pooling window once with the channel
 * axis innermost (contiguous in NHWC): in WebAssembly SIMD for the model's 2x2, stride-2 pooling
 * (simd/max-pool-2x2.wat), as a JS loop otherwise. Like TensorFlow, each window's gradient goes to
 * its first maximum.
 */
import { backend_util, getKernel, MaxPoolGrad, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as maxPool2x2Wasm from './simd/max-pool-2x2-wasm.ts';
import { simdModule } from './simd/simd-module.ts';
import { replaceWasmKernel, WASM } from './wasm-kernel.ts';

interface Exports {
  max_pool_2x2_grad(x: number, dy: number, dx: number, batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number): void;
}

const maxPoolGrad: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as BackendWasm;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;

  const dx = backend.makeOutput(input.shape, 'float32');
  // Zero first: elements outside every window (an odd last row or column) get no gradient.
  (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  const simd = simdModule<Exports>(backend, maxPool2x2Wasm);
  const twoByTwo = fh === 2 && fw === 2 && strideHeight === 2 && strideWidth === 2 && dilationHeight === 1 && dilationWidth === 1 && top === 0 && left === 0;
  if (simd && twoByTwo && C % 4 === 0) {
    const { exports, pointer } = simd;
    exports.max_pool_2x2_grad(pointer(input), pointer(dy), pointer(dx), batchSize, inHeight, inWidth, C, outHeight, outWidth);
    return dx;
  }
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  const dxv = backend.typedArrayFromHeap(dx) as Float32Array;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        best.fill(-Infinity);
        at.fill(-1);
        for (let kh = 0; kh < fh; kh += dilationHeight) {
          const ih = oh * strideHeight - top + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < fw; kw += dilationWidth) {
            const iw = ow * strideWidth - left + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const base = ((n * inHeight + ih) * inWidth + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const out = ((n * outHeight + oh) * outWidth + ow) * C;
        for (let c = 0; c < C; c++) if (at[c] >= 0) dxv[at[c]] += dyv[out + c];
      }
    }
  }
  return dx;
};

const config: KernelConfig = { kernelName: MaxPoolGrad, backendName: WASM, kernelFunc: maxPoolGrad };

/** Installs the kernel in place of the stock one. Idempotent. */
export function registerMaxPoolGradWasm(): void {
  if (getKernel(MaxPoolGrad, WASM)?.kernelFunc !== maxPoolGrad) replaceWasmKernel(config);
}
