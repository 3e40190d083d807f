/**
 * Per-decision bump allocator for typed arrays. A typed array over 64 bytes gets its own backing store, which
 * costs ~0.5 µs to allocate; a decision needs a few dozen of them, so they are carved out of one buffer
 * instead (a view costs ~30 ns). Views start zero-filled, like `new Int32Array(n)`.
 *
 * `Arena.acquire()` hands out a pooled arena (reset and re-zeroed over the part used last time) so that a
 * decision allocates no buffer at all in the steady state; `release()` returns it. A nested decision (a quote
 * callback that routes again) finds the pool taken and gets a fresh arena. Nothing allocated from an arena may
 * outlive the decision: decisions expose plain objects only.
 */
export class Arena {
  #buf: ArrayBuffer;
  #off = 0;
  /** high-water mark of the current buffer since the last reset */
  #used = 0;
  #pooled = false;

  static #pool: Arena | null = null;

  private constructor(private readonly chunkBytes: number) {
    this.#buf = new ArrayBuffer(chunkBytes);
  }

  /** An arena for one decision: the pooled one when free. */
  static acquire(minBytes: number): Arena {
    const p = Arena.#pool;
    if (p !== null && p.#buf.byteLength >= minBytes) {
      Arena.#pool = null;
      p.#reset();
      return p;
    }
    return new Arena(Math.max(minBytes, 16_384));
  }

  /** Gives the arena back to the pool; its views must no longer be used. */
  release(): void {
    if (this.#pooled) return;
    this.#pooled = true;
    const p = Arena.#pool;
    if (p === null || p.#buf.byteLength < this.#buf.byteLength) Arena.#pool = this;
  }

  #reset(): void {
    new Uint8Array(this.#buf, 0, Math.max(this.#used, this.#off)).fill(0);
    this.#off = 0;
    this.#used = 0;
    this.#pooled = false;
  }

  #take(bytes: number, align: number): number {
    let off = (this.#off + align - 1) & ~(align - 1);
    if (off + bytes > this.#buf.byteLength) {
      // grow: a fresh (zeroed) buffer; views into the old one stay valid
      this.#buf = new ArrayBuffer(Math.max(this.chunkBytes, bytes, this.#buf.byteLength * 2));
      this.#used = 0;
      off = 0;
    }
    this.#off = off + bytes;
    if (this.#off > this.#used) this.#used = this.#off;
    return off;
  }

  // #take may switch to a new buffer, so it must run before this.#buf is read
  i32(n: number): Int32Array {
    const off = this.#take(n * 4, 8);
    return new Int32Array(this.#buf, off, n);
  }

  f64(n: number): Float64Array {
    const off = this.#take(n * 8, 8);
    return new Float64Array(this.#buf, off, n);
  }

  u8(n: number): Uint8Array {
    const off = this.#take(n, 8);
    return new Uint8Array(this.#buf, off, n);
  }

  /** A copy of `src` in the arena. */
  copyI32(src: Int32Array): Int32Array {
    const a = this.i32(src.length);
    a.set(src);
    return a;
  }
}
