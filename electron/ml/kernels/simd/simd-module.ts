/**
 * Instantiates one of our WebAssembly SIMD kernel modules (*.wat, assembled into *-wasm.ts) against
 * the tfjs wasm backend's own memory, so it works on tensors where the backend keeps them: the
 * shared memory of tfjs' threaded build, or the plain one of its single-threaded build.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A generated *-wasm.ts module: the binary in both memory variants, base64. */
export interface WasmBinaries {
  WASM_PLAIN: string;
  WASM_SHARED: string;
}

/** What the tfjs wasm backend's Emscripten module offers: its memory and its allocator. */
interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

export interface SimdModule<E> {
  exports: E;
  /** Byte offset of a tensor's data in the backend's memory. */
  pointer(t: TensorInfo): number;
  /** Runs `use` with `bytes` of zeroed scratch in the backend's memory, freed afterwards. */
  withScratch<T>(bytes: number, use: (at: number, memory: ArrayBuffer | SharedArrayBuffer) => T): T;
}

const instances = new WeakMap<object, Map<WasmBinaries, SimdModule<unknown> | null>>();

/** The module for this backend, or null where it cannot run (no SIMD, a memory it cannot import). */
export function simdModule<E>(backend: BackendWasm, binaries: WasmBinaries): SimdModule<E> | null {
  const module = backend.wasm as unknown as EmscriptenModule;
  let cache = instances.get(module);
  if (!cache) instances.set(module, (cache = new Map()));
  if (!cache.has(binaries)) cache.set(binaries, instantiate(backend, module, binaries));
  return cache.get(binaries) as SimdModule<E> | null;
}

function instantiate(backend: BackendWasm, module: EmscriptenModule, binaries: WasmBinaries): SimdModule<unknown> | null {
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) return null;
  let exports: unknown;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Buffer.from(shared ? binaries.WASM_SHARED : binaries.WASM_PLAIN, 'base64');
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  } catch {
    return null;
  }
  return {
    exports,
    pointer: (t) => backend.dataIdMap.get(t.dataId)!.memoryOffset,
    withScratch: (bytes, use) => {
      const at = module._malloc(bytes);
      try {
        // Views after malloc: growing the memory replaces a plain memory's buffer.
        new Uint8Array(memory.buffer, at, bytes).fill(0);
        return use(at, memory.buffer);
      } finally {
        module._free(at);
      }
    },
  };
}
