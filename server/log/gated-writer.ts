/**
 * Consul's logging.GatedWriter: holds log lines back until `flush()`, then passes them and every
 * later line straight through. `consul agent` gates its logger until the start-up banner is out, so
 * lines logged while starting (the node ID, config warnings) appear after the banner, as in Consul.
 */
export class GatedWriter {
  private held: string[] | undefined = [];

  constructor(private readonly out: (line: string) => void) {}

  /** Writes a line, or holds it while the gate is closed. */
  readonly write = (line: string): void => {
    if (this.held) this.held.push(line);
    else this.out(line);
  };

  /** Opens the gate: writes the held lines in order, then lets everything through. */
  flush(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const line of held) this.out(line);
  }
}
