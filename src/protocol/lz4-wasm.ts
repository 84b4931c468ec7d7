/**
 * LZ4 blocks through lz4-wasm (lz4_flex compiled to WebAssembly), instantiated from a compiled
 * WebAssembly.Module: workerd only runs wasm that the bundle imports as a module, so the package's
 * own glue (which imports the .wasm as an ES module namespace) cannot be used there. This is the
 * same calling convention as that glue (wasm-bindgen: return values through a stack slot), with
 * Flux's framing: lz4_flex prefixes the length little-endian, Flux big-endian, so the four bytes
 * are swapped in wasm memory on the way in and on the way out.
 */

interface Exports {
  memory: WebAssembly.Memory;
  compress(ret: number, ptr: number, len: number): void;
  decompress(ret: number, ptr: number, len: number): void;
  __wbindgen_add_to_stack_pointer(delta: number): number;
  __wbindgen_malloc(size: number): number;
  __wbindgen_free(ptr: number, size: number): void;
}

/**
 * Above this much linear memory an instance is dropped after the call and a fresh one made on the
 * next: wasm memory never shrinks, and one large frame must not pin its size for the isolate's
 * life. It is well above what frames of a few MB need (input, output and the allocator's slack,
 * ~8 MB for a 3 MB frame), because a fresh instance grows its memory again step by step, and in
 * workerd that cost more than the decoding (a limit of 8 MB made 2 KB × 1,000 publishes slower).
 */
const KEEP_MEMORY = 32 * 1024 * 1024;

/** A Flux LZ4 codec over one compiled lz4-wasm module. */
export class Lz4Wasm {
  private instance: Exports | null = null;
  /** The message of the error the module raised during the current call. */
  private raised = "";

  constructor(private readonly module: WebAssembly.Module) {}

  /** Compresses `input` into a Flux LZ4 frame (big-endian length + one block). */
  compress(input: Uint8Array): Uint8Array {
    const out = this.call("compress", input, 0);
    swapPrefix(out, 0);
    return out;
  }

  /** Decompresses a Flux LZ4 frame; the caller has checked its claimed length. */
  decompress(frame: Uint8Array): Uint8Array {
    return this.call("decompress", frame, 4);
  }

  private exports(): Exports {
    this.instance ??= new WebAssembly.Instance(this.module, {
      "./lz4_wasm_bg.js": {
        // The only import: lz4_flex's error text, returned as a handle to a JS string.
        __wbindgen_string_new: (ptr: number, len: number) => {
          this.raised = new TextDecoder().decode(new Uint8Array(this.instance!.memory.buffer, ptr, len));
          return 0;
        },
      },
    }).exports as unknown as Exports;
    return this.instance;
  }

  /** Copies `input` in (swapping its prefix when `swap` is 4), runs `fn`, copies the result out. */
  private call(fn: "compress" | "decompress", input: Uint8Array, swap: 0 | 4): Uint8Array {
    const wasm = this.exports();
    const ret = wasm.__wbindgen_add_to_stack_pointer(-16);
    try {
      const ptr = wasm.__wbindgen_malloc(input.length);
      new Uint8Array(wasm.memory.buffer).set(input, ptr);
      if (swap) swapPrefix(new Uint8Array(wasm.memory.buffer, ptr, 4), 0);
      this.raised = "";
      wasm[fn](ret, ptr, input.length);
      const [outPtr, outLen, , failed] = new Int32Array(wasm.memory.buffer, ret, 4);
      if (fn === "decompress" && failed) throw new RangeError(`LZ4 block is malformed: ${this.raised}`);
      const out = new Uint8Array(wasm.memory.buffer, outPtr, outLen).slice();
      wasm.__wbindgen_free(outPtr, outLen);
      return out;
    } catch (e) {
      // A trap leaves the module's allocator in an unknown state: start over with a fresh one.
      if (e instanceof WebAssembly.RuntimeError) this.instance = null;
      throw e;
    } finally {
      this.instance?.__wbindgen_add_to_stack_pointer(16);
      if (this.instance && this.instance.memory.buffer.byteLength > KEEP_MEMORY) this.instance = null;
    }
  }
}

/** Reverses the byte order of the 4-byte length at `at`. */
function swapPrefix(bytes: Uint8Array, at: number): void {
  if (bytes.length < at + 4) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 4);
  view.setUint32(0, view.getUint32(0, true), false);
}
