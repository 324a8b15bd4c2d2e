/**
 * A cache keyed by statement text that never hashes the text. Drizzle builds
 * a fresh string for every statement it sends, and hashing a fresh string
 * (what a `Map<string, …>` lookup does) costs several times more than
 * comparing it: texts are bucketed by length and compared in full.
 */
export class TextCache<V> {
  readonly #byLength = new Map<number, { readonly text: string; value: V }[]>();
  readonly #insertionOrder: string[] = [];

  /** Holds the last `capacity` distinct texts set. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#insertionOrder.length;
  }

  get(text: string): V | undefined {
    const bucket = this.#byLength.get(text.length);
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]!;
      if (entry.text === text) return entry.value;
    }
    return undefined;
  }

  set(text: string, value: V): void {
    let bucket = this.#byLength.get(text.length);
    if (bucket === undefined) this.#byLength.set(text.length, (bucket = []));
    const existing = bucket.find((entry) => entry.text === text);
    if (existing !== undefined) {
      existing.value = value;
      return;
    }
    bucket.push({ text, value });
    this.#insertionOrder.push(text);
    if (this.#insertionOrder.length > this.capacity) this.#forget(this.#insertionOrder.shift()!);
  }

  #forget(text: string): void {
    const bucket = this.#byLength.get(text.length)!;
    bucket.splice(bucket.findIndex((entry) => entry.text === text), 1);
    if (bucket.length === 0) this.#byLength.delete(text.length);
  }
}
