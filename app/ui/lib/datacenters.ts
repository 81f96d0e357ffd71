/** Which datacenter `/ui/` opens. */

/** The agent's own datacenter when known and listed, else the only one, else null (show a list). */
export function pickDatacenter(dcs: readonly string[], local: string | undefined): string | null {
  if (local !== undefined && dcs.includes(local)) return local;
  return dcs.length === 1 ? (dcs[0] ?? null) : null;
}
