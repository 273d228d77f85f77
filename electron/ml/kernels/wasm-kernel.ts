/**
 * Helpers for kernels composed from other wasm kernels. They call the kernel functions directly
 * rather than through tf ops, so no gradient tape entries or engine-tracked tensors are created
 * inside a kernel; intermediates are TensorInfos the caller must release with disposeData.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelBackend, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

export const WASM = 'wasm';

export function runWasmKernel(
  name: string,
  backend: KernelBackend,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(name, WASM);
  if (kernel === undefined) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Collects intermediate TensorInfos so a kernel can free them all, also when it throws. */
export class Scratch {
  private readonly infos: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackend) {}
  run(name: string, inputs: Record<string, TensorInfo>, attrs?: NamedAttrMap): TensorInfo {
    const out = runWasmKernel(name, this.backend, inputs, attrs);
    this.infos.push(out);
    return out;
  }
  dispose(): void {
    for (const t of this.infos) this.backend.disposeData(t.dataId);
    this.infos.length = 0;
  }
}

/**
 * Installs `config` for the wasm backend, replacing any existing kernel of that name. Returns the
 * replaced config so the new kernel can delegate cases it does not handle.
 */
export function replaceWasmKernel(config: KernelConfig): KernelConfig | undefined {
  const previous = getKernel(config.kernelName, WASM);
  if (previous !== undefined) unregisterKernel(config.kernelName, WASM);
  registerKernel(config);
  return previous;
}
