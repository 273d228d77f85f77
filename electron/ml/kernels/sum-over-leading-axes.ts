/**
 * Sum for the wasm backend, fast in the case training hits most: reducing all axes but the last
 * (a bias gradient, per-channel statistics). The stock kernel first transposes the whole tensor
 * so the reduced axes are innermost; here one pass of batch norm's channel sums (SIMD where it
 * can) totals each channel in float64 (also more accurate than the stock float32 running sum).
 * Every other case goes to the stock kernel.
 */
import { getKernel, Sum, util, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelPasses } from './simd/channel-passes.ts';
import { replaceWasmKernel, WASM } from './wasm-kernel.ts';

let stock: KernelConfig | undefined;

function reducesLeadingAxes(x: TensorInfo, axis: SumAttrs['axis']): boolean {
  const rank = x.shape.length;
  if (rank < 2) return false;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

const sum: KernelFunc = (args) => {
  const { inputs, backend: b, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  if (x.dtype !== 'float32' || !reducesLeadingAxes(x, axis)) {
    if (stock === undefined) throw new Error('wasm Sum: stock kernel missing');
    return stock.kernelFunc(args);
  }
  const backend = b as BackendWasm;
  const C = x.shape[x.shape.length - 1];
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), C] : [C], 'float32');
  // Σx·x comes along at no cost worth avoiding: the pass is bound by reading x.
  const { sumA } = channelPasses(backend).sums(x, x, C);
  (backend.typedArrayFromHeap(out) as Float32Array).set(sumA);
  return out;
};

/** Installs the kernel in place of the stock one, keeping that for other reductions. Idempotent. */
export function registerSumWasm(): void {
  const current = getKernel(Sum, WASM);
  if (current?.kernelFunc === sum) return;
  stock = replaceWasmKernel({ kernelName: Sum, backendName: WASM, kernelFunc: sum, setupFunc: current?.setupFunc });
}
