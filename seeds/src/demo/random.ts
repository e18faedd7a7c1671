// A small seeded pseudo-random generator (sfc32 seeded by splitmix32): the same seed gives the same demo data.

/** splitmix32: spreads one 32-bit number into a well-mixed one (used to seed and to derive sub-streams). */
function splitmix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit hash of a seed and a few integers: the root of an independent, repeatable stream. */
export function mixSeed(...parts: number[]): number {
  let hash = 0x2545f491;
  for (const part of parts) {
    // Numbers above 2^32 (large customer indexes times a salt) contribute both halves.
    hash = splitmix32(hash ^ (part >>> 0));
    hash = splitmix32(hash ^ Math.floor(part / 0x1_0000_0000));
  }
  return hash;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export interface WeightedChoice<T> {
  value: T;
  weight: number;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = splitmix32(seed);
    this.b = splitmix32(this.a);
    this.c = splitmix32(this.b);
    this.d = splitmix32(this.c) | 1;
    for (let round = 0; round < 12; round += 1) this.next32();
  }

  /** sfc32: fast, good statistical quality, 128 bits of state. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks by weight; the weights need not sum to one. */
  weighted<T>(choices: readonly WeightedChoice<T>[]): T {
    let total = 0;
    for (const choice of choices) total += choice.weight;
    let point = this.float() * total;
    for (const choice of choices) {
      point -= choice.weight;
      if (point < 0) return choice.value;
    }
    return choices[choices.length - 1].value;
  }

  /** `count` distinct items (fewer when the list is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(this.float() * pool.length), 1)[0]);
    return chosen;
  }

  /** A number whose logarithm is uniform: amounts spread over orders of magnitude, as real amounts are. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.float() * (Math.log(max) - Math.log(min)));
  }

  digits(count: number): string {
    let text = "";
    for (let index = 0; index < count; index += 1) text += String(this.next32() % 10);
    return text;
  }

  /**
   * A UUIDv7 for a record created at `at` (Unix milliseconds), as the server makes them (sys.time_ordered_uuid):
   * the time in the first 48 bits, then bits from this stream, so the same seed makes the same ids.
   */
  uuid(at: number): string {
    const [b, c, d] = [this.next32(), this.next32(), this.next32()];
    const time = Math.floor(at).toString(16).padStart(12, "0");
    if (time.length !== 12 || !(at >= 0)) throw new RangeError(`No UUIDv7 for the time ${at}`);
    // Version 7 in the high nibble of byte 6, variant 10 in the high bits of byte 8.
    const b6 = ((b >>> 8) & 0x0f) | 0x70;
    const c8 = ((c >>> 24) & 0x3f) | 0x80;
    return (
      time.slice(0, 8) + "-" + time.slice(8) + "-" + HEX[b6] + HEX[b & 255] + "-" +
      HEX[c8] + HEX[(c >>> 16) & 255] + "-" + HEX[(c >>> 8) & 255] + HEX[c & 255] +
      HEX[d >>> 24] + HEX[(d >>> 16) & 255] + HEX[(d >>> 8) & 255] + HEX[d & 255]
    );
  }
}
