/**
 * Conv2DBackpropFilter for the wasm backend, which (as of tfjs-backend-wasm 4.22) ships no such
 * kernel, so no Conv2D layer can train there.
 *
 * The filter gradient is itself a convolution:
 *   dW[kh, kw, ci, co] = Σ_{n,h,w} xPadded[n, h·sh + kh·dh, w·sw + kw·dw, ci] · dy[n, h, w, co]
 * Transposing x to [Cin, H, W, N] (Cin becomes the batch, N the channels) and dy to
 * [H', W', N, Cout] (an H'×W' filter) turns that sum into an ordinary NHWC Conv2D, with the
 * forward dilation as its stride and the forward stride as its dilation, giving [Cin, KH, KW, Cout].
 * It runs on XNNPACK's convolution, which is what makes it fast (a Conv3D formulation was ~40x
 * slower for the SER model). XNNPACK has no blocking over the reduction (here N·H'·W'), so this
 * stays memory-bound, ~2x slower than the forward convolution (splitting the batch into chunks,
 * to keep each chunk's packed filter in cache, measured slower still).
 */
import { backend_util, Conv2DBackpropFilter, getKernel, registerKernel, type Conv2DBackpropFilterAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { runWasmKernel, Scratch, WASM } from './wasm-kernel.ts';

/** tfjs' Conv2D gradient never passes dilations, but TensorFlow's op defines them. */
type Attrs = Conv2DBackpropFilterAttrs & { dilations?: [number, number] | number };

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as Attrs;
  if (a.dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, got ${a.dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(`Conv2DBackpropFilter: dy shape ${dy.shape} does not match the conv output ${info.outShape}`);
  }
  const [batch, inH, inW, inC] = x.shape;
  const { top, left } = info.padInfo;
  // Padded rows/cols the gradient reads, up to the last tap of the last output position. Input
  // beyond that (e.g. 'valid' with a stride that leaves a remainder) contributes nothing: crop it.
  const rowsRead = (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1;
  const colsRead = (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1;
  const keepRows = Math.min(inH, rowsRead - top);
  const keepCols = Math.min(inW, colsRead - left);

  const wasm = backend as KernelBackend;
  const scratch = new Scratch(wasm);
  try {
    const xUsed =
      keepRows < inH || keepCols < inW
        ? scratch.run('Slice', { x }, { begin: [0, 0, 0, 0], size: [batch, keepRows, keepCols, inC] })
        : x;
    const xT = scratch.run('Transpose', { x: xUsed }, { perm: [3, 1, 2, 0] });
    const dyT = scratch.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const grad = scratch.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [info.dilationHeight, info.dilationWidth],
      dilations: [info.strideHeight, info.strideWidth],
      pad: [
        [0, 0],
        [top, rowsRead - top - keepRows],
        [left, colsRead - left - keepCols],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    });
    return runWasmKernel('Transpose', wasm, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    scratch.dispose();
  }
};

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter,
};

/** Registers the kernel unless the wasm backend already has one (a later tfjs release may add it). */
export function registerConv2DBackpropFilterWasm(): void {
  if (getKernel(Conv2DBackpropFilter, WASM) === undefined) registerKernel(conv2DBackpropFilterWasmConfig);
}
