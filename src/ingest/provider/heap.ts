import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Rows between two full garbage collections during a long read. */
const ROWS_PER_COLLECTION = 50_000;

let collect: (() => void) | undefined;

/**
 * Runs a full garbage collection every `ROWS_PER_COLLECTION` calls.
 * Without it, V8 let the heap of a 1.3-million-row validation grow to
 * 130 MiB around 30 MiB of live objects. With it, the peak RSS of that
 * run fell from 292 to 212 MiB, for about 5 % more CPU time.
 *
 * NOTE: this enables V8's `--expose-gc` flag at run time to reach the
 * collector; where that fails, nothing is collected early.
 */
export class GarbageSchedule {
  #rows = 0;

  tick(): void {
    this.#rows++;
    if (this.#rows % ROWS_PER_COLLECTION === 0) {
      collector()?.();
    }
  }
}

function collector(): (() => void) | undefined {
  if (collect === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = () => undefined;
    }
  }
  return collect;
}
