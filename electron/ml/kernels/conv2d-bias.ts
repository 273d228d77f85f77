/**
 * Conv2D plus bias as one op whose gradient computes only what the tape asks for, for wasm.
 *
 * tfjs' fused conv2d (what tfjs-layers' Conv2D calls) defines its gradient with customGrad, which
 * computes the input, filter and bias gradients all at once. The tape cannot prune the input
 * gradient of a model's first convolution, which nobody needs (the model's input is no variable):
 * for the SER model that was a [32, 128, 130, 32] → [32, 128, 130, 1] convolution every step, 5%
 * of it. A registered gradient returns one closure per input, and the tape calls only those on a
 * path to a variable. The forward pass is the backend's own FusedConv2D (XNNPACK, bias fused).
 *
 * Op: SerConv2DBias(x [N, H, W, Cin], filter [KH, KW, Cin, Cout], bias [Cout]; strides, pad 'same'
 * or 'valid') → y [N, H', W', Cout], NHWC, dilation 1 (what the stock fused gradient supports).
 */
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  engine,
  FusedConv2D,
  getKernel,
  registerGradient,
  registerKernel,
  sum,
  type GradConfig,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs';
import { runWasmKernel, WASM } from './wasm-kernel.ts';

export const CONV2D_BIAS = 'SerConv2DBias';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same';
}

const forward: KernelFunc = ({ inputs, backend, attrs }) =>
  runWasmKernel(FusedConv2D, backend as KernelBackend, inputs as Record<string, never>, {
    ...(attrs as unknown as Attrs),
    dataFormat: 'NHWC',
    dilations: 1,
    activation: 'linear',
  });

const gradient: GradConfig = {
  kernelName: CONV2D_BIAS,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dys, saved, attrs) => {
    const dy = dys as Tensor4D;
    const [x, filter] = saved as Tensor4D[];
    const { strides, pad } = attrs as unknown as Attrs;
    const conv = { strides, pad, dataFormat: 'NHWC' };
    return {
      x: () => engine().runKernel(Conv2DBackpropInput, { dy, filter }, { ...conv, inputShape: x.shape }) as Tensor,
      filter: () => engine().runKernel(Conv2DBackpropFilter, { x, dy }, { ...conv, filterShape: filter.shape }) as Tensor,
      bias: () => sum(dy, [0, 1, 2]),
    };
  },
};

const config: KernelConfig = { kernelName: CONV2D_BIAS, backendName: WASM, kernelFunc: forward };

/** Registers the op's wasm kernel and its gradient. Idempotent. */
export function registerConv2DBiasWasm(): void {
  if (getKernel(CONV2D_BIAS, WASM) !== undefined) return;
  registerKernel(config);
  registerGradient(gradient);
}

/** Whether the active backend runs the op (otherwise use tfjs' fused conv2d). */
export function conv2DBiasAvailable(): boolean {
  return getKernel(CONV2D_BIAS, engine().backendName) !== undefined;
}

export function conv2DBias(x: Tensor4D, filter: Tensor4D, bias: Tensor, attrs: Attrs): Tensor4D {
  return engine().runKernel(CONV2D_BIAS, { x, filter, bias }, { ...attrs }) as Tensor4D;
}
