import type { Movement } from "../../cases/index.js";

function isoOrNull(instant: number | null): string | null {
  return instant === null ? null : new Date(instant).toISOString();
}

/** Shapes a movement for the API, with instants as ISO 8601 in UTC. */
export function presentMovement(movement: Movement) {
  return {
    ...movement,
    startedAt: isoOrNull(movement.startedAt),
    endedAt: isoOrNull(movement.endedAt),
  };
}
