/**
 * A cache keyed by statement text, bounded by count and by bytes.
 *
 * Drizzle builds a fresh string for every statement it sends, and hashing a
 * fresh string (what a `Map<string, …>` lookup does) costs several times
 * more than comparing it, so texts are bucketed by length and compared in
 * full while a bucket is small. Texts of one length can be many, though (raw
 * SQL with inlined fixed-width ids): a bucket that grows past
 * {@link SMALL_BUCKET} texts is indexed by a Map instead, so a lookup costs
 * one hash and at most one full comparison however many texts share its
 * length, never a comparison with each of them.
 *
 * Texts are counted at two bytes a character (the most a JavaScript string
 * holds per character), so the cache never keeps more than `maxBytes` of
 * text alive; a text larger than that is not cached at all.
 */

/** Texts of one length compared one by one; more than this and the bucket is a Map. */
const SMALL_BUCKET = 8;

/** The default byte budget of a cache's texts: 8 MiB. */
export const TEXT_CACHE_MAX_BYTES = 8 * 1024 * 1024;

interface Entry<V> {
  readonly text: string;
  value: V;
}

type Bucket<V> = Entry<V>[] | Map<string, Entry<V>>;

const bytesOf = (text: string): number => text.length * 2;

export class TextCache<V> {
  readonly #byLength = new Map<number, Bucket<V>>();
  // Insertion order, oldest first; `#oldest` is the index of the first one still held.
  #order: string[] = [];
  #oldest = 0;
  #bytes = 0;

  /** Holds at most the last `capacity` distinct texts set, and at most `maxBytes` of them. */
  constructor(
    readonly capacity: number,
    readonly maxBytes: number = TEXT_CACHE_MAX_BYTES,
  ) {}

  /** How many texts are held. */
  get size(): number {
    return this.#order.length - this.#oldest;
  }

  /** The bytes the held texts take, counted at two a character. */
  get bytes(): number {
    return this.#bytes;
  }

  get(text: string): V | undefined {
    const bucket = this.#byLength.get(text.length);
    if (bucket === undefined) return undefined;
    if (!Array.isArray(bucket)) return bucket.get(text)?.value;
    // Drizzle builds a statement as a rope of many pieces, and comparing a rope walks them all. Reading
    // a character makes V8 flatten the rope in place: the comparisons below are of flat strings, and the
    // driver, which flattens every text it encodes, finds this one flat (profiled on PGlite with drizzle-orm
    // 1.0: about 9 µs less a mix of 8 statements, between this lookup and PGlite's encoding of the texts).
    text.charCodeAt(0);
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]!;
      if (entry.text === text) return entry.value;
    }
    return undefined;
  }

  set(text: string, value: V): void {
    const bytes = bytesOf(text);
    if (bytes > this.maxBytes) return;
    let bucket = this.#byLength.get(text.length);
    if (bucket === undefined) this.#byLength.set(text.length, (bucket = []));
    const existing = Array.isArray(bucket) ? bucket.find((entry) => entry.text === text) : bucket.get(text);
    if (existing !== undefined) {
      existing.value = value;
      return;
    }
    const entry = { text, value };
    if (!Array.isArray(bucket)) bucket.set(text, entry);
    else if (bucket.length < SMALL_BUCKET) bucket.push(entry);
    else this.#byLength.set(text.length, new Map([...bucket, entry].map((held) => [held.text, held])));
    this.#order.push(text);
    this.#bytes += bytes;
    while (this.size > this.capacity || this.#bytes > this.maxBytes) this.#forgetOldest();
  }

  #forgetOldest(): void {
    const text = this.#order[this.#oldest]!;
    // Dropped from the order array in batches, so forgetting costs O(1) amortized.
    this.#order[this.#oldest++] = '';
    if (this.#oldest > 1024 && this.#oldest * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#oldest);
      this.#oldest = 0;
    }
    this.#bytes -= bytesOf(text);
    const bucket = this.#byLength.get(text.length)!;
    if (Array.isArray(bucket)) {
      bucket.splice(
        bucket.findIndex((entry) => entry.text === text),
        1,
      );
      if (bucket.length === 0) this.#byLength.delete(text.length);
    } else {
      bucket.delete(text);
      if (bucket.size === 0) this.#byLength.delete(text.length);
    }
  }
}
