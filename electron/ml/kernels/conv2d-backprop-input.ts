/**
 * A faster Conv2DBackpropInput for the wasm backend. The stock kernel is a scalar C++ loop, the
 * largest cost of an SER training step (8.6 s of kernel time per batch of 32). For stride 1 the
 * input gradient is a plain convolution of dy with the filter flipped spatially and its in/out
 * channels swapped:
 *   dx[n, i, j, ci] = Σ_{a,b,co} dy[n, i + top − a·d, j + left − b·d, co] · W[a, b, ci, co]
 * which runs on XNNPACK. Strided convolutions (zeros between dy's rows) and paddings larger than
 * the filter go to the stock kernel.
 */
import { backend_util, Conv2DBackpropInput, getKernel, type Conv2DBackpropInputAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { replaceWasmKernel, runWasmKernel, Scratch, WASM } from './wasm-kernel.ts';

let stock: KernelConfig | undefined;

const conv2DBackpropInput: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as Conv2DBackpropInputAttrs & { dilations?: [number, number] | number };
  const info = backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  const reach = { h: (info.filterHeight - 1) * info.dilationHeight, w: (info.filterWidth - 1) * info.dilationWidth };
  const { top, bottom, left, right } = info.padInfo;
  const fast =
    a.dataFormat === 'NHWC' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.max(top, bottom) <= reach.h &&
    Math.max(left, right) <= reach.w;
  if (!fast) {
    if (stock === undefined) throw new Error('wasm Conv2DBackpropInput: unsupported configuration');
    return stock.kernelFunc(args);
  }
  const scratch = new Scratch(backend as KernelBackend);
  try {
    const flipped = scratch.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scratch.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    return runWasmKernel('Conv2D', backend as KernelBackend, { x: dy, filter: swapped }, {
      strides: 1,
      dilations: [info.dilationHeight, info.dilationWidth],
      pad: [
        [0, 0],
        [reach.h - top, reach.h - bottom],
        [reach.w - left, reach.w - right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    });
  } finally {
    scratch.dispose();
  }
};

const config: KernelConfig = { kernelName: Conv2DBackpropInput, backendName: WASM, kernelFunc: conv2DBackpropInput };

/** Installs the kernel in place of the stock one, keeping that for strided cases. Idempotent. */
export function registerConv2DBackpropInputWasm(): void {
  if (getKernel(Conv2DBackpropInput, WASM)?.kernelFunc === conv2DBackpropInput) return;
  stock = replaceWasmKernel({ ...config, setupFunc: getKernel(Conv2DBackpropInput, WASM)?.setupFunc });
}
