/** Kernels the wasm backend lacks, or runs too slowly, for training; installed by initBackend. */
import { registerBatchNormTrainingWasm } from './batch-norm-training.ts';
import { registerConv2DBiasWasm } from './conv2d-bias.ts';
import { registerConv2DBackpropFilterWasm } from './conv2d-backprop-filter.ts';
import { registerConv2DBackpropInputWasm } from './conv2d-backprop-input.ts';
import { registerMaxPoolGradWasm } from './max-pool-grad.ts';
import { registerSumWasm } from './sum-over-leading-axes.ts';

export function registerWasmTrainingKernels(): void {
  registerConv2DBackpropFilterWasm();
  registerConv2DBackpropInputWasm();
  registerConv2DBiasWasm();
  registerMaxPoolGradWasm();
  registerBatchNormTrainingWasm();
  registerSumWasm();
}
