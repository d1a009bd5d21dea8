import { spanOf, type Draft } from "./draft.js";
import type { Span } from "./spans.js";

/** Width of a bucket of the index in milliseconds: one hour. */
const BUCKET_MILLISECONDS = 3_600_000;

/**
 * An index of drafts by time: each draft is listed in every hour bucket
 * that its span touches, so that a query looks only at drafts near a span.
 * Call `update` after a draft's span changes.
 */
export class DraftIndex {
  readonly #buckets = new Map<number, Set<Draft>>();
  readonly #spans = new Map<Draft, Span>();
  readonly #order = new Map<Draft, number>();

  add(draft: Draft): void {
    const span = spanOf(draft);
    this.#spans.set(draft, span);
    if (!this.#order.has(draft)) {
      this.#order.set(draft, this.#order.size);
    }
    for (const bucket of bucketsOf(span)) {
      let drafts = this.#buckets.get(bucket);
      if (drafts === undefined) {
        drafts = new Set();
        this.#buckets.set(bucket, drafts);
      }
      drafts.add(draft);
    }
  }

  update(draft: Draft): void {
    const span = this.#spans.get(draft);
    if (span !== undefined) {
      for (const bucket of bucketsOf(span)) {
        this.#buckets.get(bucket)?.delete(draft);
      }
    }
    this.add(draft);
  }

  /** Returns the drafts whose spans may meet `span`, in the order they were added. */
  near(span: Span): Draft[] {
    const found = new Set<Draft>();
    for (const bucket of bucketsOf(span)) {
      for (const draft of this.#buckets.get(bucket) ?? []) {
        found.add(draft);
      }
    }
    return [...found].sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
  }
}

function* bucketsOf(span: Span): Generator<number> {
  const last = Math.floor(span.end / BUCKET_MILLISECONDS);
  for (
    let bucket = Math.floor(span.start / BUCKET_MILLISECONDS);
    bucket <= last;
    bucket++
  ) {
    yield bucket;
  }
}
