const CENTRE_PULL = 0.1;

/** A node position in the layout's coordinates: 0 to `width` and 0 to `height`. */
export interface LayoutPosition {
  x: number;
  y: number;
}

export interface LayoutOptions {
  width: number;
  height: number;
  /** Steps of the simulation. Default 300. */
  iterations?: number;
}

/**
 * Places the nodes of a graph by the force-directed method of Fruchterman
 * and Reingold (1991). Nodes closer than 3k repel with k²/d, and the ends
 * of an edge attract with d²/k. A pull of 0.1 times the distance draws
 * every node to the centre, so that the many small parts of a transmission
 * graph pack into one disc. The step size cools linearly to zero. Nodes
 * start on a sunflower spiral in input order, so the same graph always gets
 * the same picture. Costs O(n²) per step, meant for a few hundred nodes.
 */
export function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly (readonly [string, string])[],
  options: LayoutOptions,
): Map<string, LayoutPosition> {
  const { width, height } = options;
  const iterations = options.iterations ?? 300;
  const count = nodeIds.length;
  const index = new Map(nodeIds.map((id, i) => [id, i]));
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const goldenAngle = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < count; i++) {
    const radius = Math.sqrt((i + 0.5) / count) * 0.45;
    x[i] = width * (0.5 + radius * Math.cos(i * goldenAngle));
    y[i] = height * (0.5 + radius * Math.sin(i * goldenAngle));
  }
  const links = edges.flatMap(([a, b]) => {
    const from = index.get(a);
    const to = index.get(b);
    return from === undefined || to === undefined || from === to
      ? []
      : [[from, to] as const];
  });

  const k = Math.sqrt((width * height) / Math.max(1, count)) * 0.5;
  const cutoff = 3 * k;
  const dx = new Float64Array(count);
  const dy = new Float64Array(count);
  for (let step = 0; step < iterations; step++) {
    const temperature = (width / 10) * (1 - step / iterations);
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const ex = x[i]! - x[j]!;
        const ey = y[i]! - y[j]!;
        const distance = Math.max(0.01, Math.hypot(ex, ey));
        if (distance > cutoff) continue;
        const force = (k * k) / distance;
        dx[i]! += (ex / distance) * force;
        dy[i]! += (ey / distance) * force;
        dx[j]! -= (ex / distance) * force;
        dy[j]! -= (ey / distance) * force;
      }
    }
    for (const [from, to] of links) {
      const ex = x[from]! - x[to]!;
      const ey = y[from]! - y[to]!;
      const distance = Math.max(0.01, Math.hypot(ex, ey));
      const force = (distance * distance) / k;
      dx[from]! -= (ex / distance) * force;
      dy[from]! -= (ey / distance) * force;
      dx[to]! += (ex / distance) * force;
      dy[to]! += (ey / distance) * force;
    }
    for (let i = 0; i < count; i++) {
      dx[i]! -= CENTRE_PULL * (x[i]! - width / 2);
      // A stronger vertical pull makes the disc as wide as the drawing.
      dy[i]! -= CENTRE_PULL * (width / height) * (y[i]! - height / 2);
      const length = Math.max(0.01, Math.hypot(dx[i]!, dy[i]!));
      const move = Math.min(length, temperature);
      x[i] = clamp(x[i]! + (dx[i]! / length) * move, 0, width);
      y[i] = clamp(y[i]! + (dy[i]! / length) * move, 0, height);
    }
  }

  return new Map(nodeIds.map((id, i) => [id, { x: x[i]!, y: y[i]! }]));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
