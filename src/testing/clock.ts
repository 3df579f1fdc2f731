/**
 * Simulated time. Nodes and tasks move only when a test calls `advance` or
 * `settle`, never on wall time, so outcomes do not depend on machine speed.
 */

/** The emulator's notion of "now". @internal */
export class SimClock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  /** Milliseconds since the epoch, simulated. */
  now(): number {
    return this.#now;
  }

  /** ISO 8601 form of `now()` or of a given instant. */
  iso(at: number = this.#now): string {
    return new Date(at).toISOString();
  }

  /** Moves time forward; never backwards. */
  set(at: number): void {
    if (at > this.#now) this.#now = at;
  }
}
