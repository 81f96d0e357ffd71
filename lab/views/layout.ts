import type { LabNodeSpec } from '../sim-runner/index.ts';

/** A point in the topology's own coordinate space (the SVG viewBox). */
export interface Point {
  x: number;
  y: number;
}

/** Where each datacenter's box and each node sit. */
export interface TopologyLayout {
  width: number;
  height: number;
  boxes: Array<{ dc: string; x: number; y: number; w: number; h: number }>;
  positions: Map<string, Point>;
  /** Node radius: smaller when there are many nodes. */
  radius: number;
}

/**
 * Lays datacenters out in a grid and, inside each, the servers on an inner ring and the clients
 * on concentric outer rings, so the Raft group reads as a circle with its clients around it.
 */
export function layoutTopology(nodes: LabNodeSpec[], dcs: string[]): TopologyLayout {
  const cols = dcs.length <= 3 ? dcs.length : Math.ceil(Math.sqrt(dcs.length));
  const rows = Math.ceil(dcs.length / cols);
  const boxW = 520;
  const boxH = 440;
  const gap = 40;
  const width = cols * boxW + (cols + 1) * gap;
  const height = rows * boxH + (rows + 1) * gap;
  const positions = new Map<string, Point>();
  const boxes: TopologyLayout['boxes'] = [];
  const biggest = Math.max(...dcs.map((dc) => nodes.filter((n) => n.dc === dc).length));
  const radius = biggest > 200 ? 4 : biggest > 60 ? 7 : biggest > 20 ? 12 : 22;
  dcs.forEach((dc, i) => {
    const x = gap + (i % cols) * (boxW + gap);
    const y = gap + Math.floor(i / cols) * (boxH + gap);
    boxes.push({ dc, x, y, w: boxW, h: boxH });
    const cx = x + boxW / 2;
    const cy = y + boxH / 2 + 10;
    const servers = nodes.filter((n) => n.dc === dc && n.server);
    const clients = nodes.filter((n) => n.dc === dc && !n.server);
    const serverRing = servers.length === 1 ? 0 : Math.min(110, 40 + servers.length * 12);
    servers.forEach((n, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / servers.length;
      positions.set(n.id, { x: cx + serverRing * Math.cos(a), y: cy + serverRing * Math.sin(a) });
    });
    // Clients on rings outward from the servers, as many per ring as fit.
    let placed = 0;
    let ring = serverRing + radius * 3 + 40;
    while (placed < clients.length) {
      const fit = Math.max(6, Math.floor((2 * Math.PI * ring) / (radius * 2.6)));
      const count = Math.min(fit, clients.length - placed);
      for (let k = 0; k < count; k++) {
        const a = -Math.PI / 2 + (2 * Math.PI * (k + 0.5)) / count;
        const n = clients[placed + k];
        if (n) positions.set(n.id, { x: cx + ring * Math.cos(a), y: cy + ring * 0.82 * Math.sin(a) });
      }
      placed += count;
      ring += radius * 2.6;
    }
  });
  return { width, height, boxes, positions, radius };
}
