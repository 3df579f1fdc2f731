/**
 * Seeded pseudo-random numbers, so fault injection and generated ids repeat
 * from run to run when a seed is given.
 */

/** A source of numbers in [0, 1). @internal */
export interface Random {
  /** Next number in [0, 1). */
  next(): number;
  /** A version-4-shaped GUID built from this stream. */
  uuid(): string;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

/**
 * mulberry32: tiny, fast and good enough for test noise; not for security.
 * @internal
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (length: number): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
    return out;
  };
  const uuid = (): string => {
    const h = hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[Math.floor(next() * 4)] ?? "8";
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, uuid, hex };
}
