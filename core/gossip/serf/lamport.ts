/** serf's LamportClock: a logical clock for ordering member intents, events and queries. */
export class LamportClock {
  private counter = 0;

  time(): number {
    return this.counter;
  }

  /** Advances and returns the new time. */
  increment(): number {
    return ++this.counter;
  }

  /** Moves past `v` if it is ahead of us (Go's Witness: counter = v + 1). */
  witness(v: number): void {
    if (v < this.counter) return;
    this.counter = v + 1;
  }
}
