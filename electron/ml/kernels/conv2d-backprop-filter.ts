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
 *
 * That Conv2D is a GEMM of M = Cin·KH·KW rows, which for the first layer of a model (Cin = 1) is
 * 9: there it ran 4x slower than the layer's forward pass, and the transpose of dy (the largest
 * tensor of the step) cost as much again. For stride 1 and few input channels (the tap matrix no
 * larger than dy) the gradient is instead one 1x1 Conv2D over the reduction in place: the taps
 * of x as rows, [Cin·KH·KW, N·H'·W'] (one shifted crop of padded x per filter tap), times dy as
 * it lies, [N·H'·W', Cout]. It measured ~3x faster for the SER model's first layer, and slower
 * for the others, whose tap matrices are 4.5x their dy.
 */
import { backend_util, Conv2DBackpropFilter, getKernel, registerKernel, type Conv2DBackpropFilterAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { runWasmKernel, Scratch, WASM } from './wasm-kernel.ts';

/** tfjs' Conv2D gradient never passes dilations, but TensorFlow's op defines them. */
type Attrs = Conv2DBackpropFilterAttrs & { dilations?: [number, number] | number };

type ConvInfo = backend_util.Conv2DInfo;

/** A view of t's data under another shape of the same size (what the Reshape kernel returns). */
function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

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
  const unitSteps = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const run = unitSteps && taps <= info.outChannels ? viaTaps : viaTransposedConv;
  return run(x, dy, info, backend as KernelBackend);
};

/** [Cin·KH·KW, N·H'·W'] taps of x (stride 1, dilation 1) times dy as [N·H'·W', Cout]. */
function viaTaps(x: TensorInfo, dy: TensorInfo, info: ConvInfo, wasm: KernelBackend): TensorInfo {
  const [batch, inH, inW, inC] = x.shape;
  const { outHeight: outH, outWidth: outW, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  // Rows and columns the taps read, cropped or zero-padded to exactly that.
  const rows = outH + kh - 1;
  const cols = outW + kw - 1;
  const scratch = new Scratch(wasm);
  try {
    const padded = scratch.run('PadV2', { x }, {
      paddings: [
        [0, 0],
        [top, Math.max(0, rows - top - inH)],
        [left, Math.max(0, cols - left - inW)],
        [0, 0],
      ],
      constantValue: 0,
    });
    // Channels first, so each tap's crop is a row block per channel; one channel needs no move.
    const channelsFirst = inC === 1 ? view(padded, [1, ...padded.shape.slice(0, 3)]) : scratch.run('Transpose', { x: padded }, { perm: [3, 0, 1, 2] });
    const pixels = batch * outH * outW;
    const crops: TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const crop = scratch.run('Slice', { x: channelsFirst }, { begin: [0, 0, i, j], size: [inC, batch, outH, outW] });
        crops.push(view(crop, [inC, pixels]));
      }
    }
    const tapRows = scratch.run('Concat', crops as unknown as Record<string, TensorInfo>, { axis: 0 });
    const grad = runWasmKernel('Conv2D', wasm, { x: view(tapRows, [1, 1, kh * kw * inC, pixels]), filter: view(dy, [1, 1, pixels, info.outChannels]) }, {
      strides: 1,
      dilations: 1,
      pad: 'valid',
      dataFormat: 'NHWC',
    });
    return view(grad, [kh, kw, inC, info.outChannels]);
  } finally {
    scratch.dispose();
  }
}

function viaTransposedConv(x: TensorInfo, dy: TensorInfo, info: ConvInfo, wasm: KernelBackend): TensorInfo {
  const [batch, inH, inW, inC] = x.shape;
  const { top, left } = info.padInfo;
  // Padded rows/cols the gradient reads, up to the last tap of the last output position. Input
  // beyond that (e.g. 'valid' with a stride that leaves a remainder) contributes nothing: crop it.
  const rowsRead = (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1;
  const colsRead = (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1;
  const keepRows = Math.min(inH, rowsRead - top);
  const keepCols = Math.min(inW, colsRead - left);

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
}

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter,
};

/** Registers the kernel unless the wasm backend already has one (a later tfjs release may add it). */
export function registerConv2DBackpropFilterWasm(): void {
  if (getKernel(Conv2DBackpropFilter, WASM) === undefined) registerKernel(conv2DBackpropFilterWasmConfig);
}
