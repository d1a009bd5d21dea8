import { spanOf, type Draft } from "./draft.js";
import type { Span } from "./spans.js";

/** Width of a bucket of the index in milliseconds: one hour. */
const BUCKET_MILLISECONDS = 3_600_000;

/**
 * Drafts up to which the index keeps no buckets and `near` returns every
 * draft. Most routes of a contact search have a few drafts, and their
 * buckets would cost more than looking at each draft.
 */
const MAX_UNBUCKETED_DRAFTS = 16;

/** Hour buckets of the drafts, with the span each was listed by and the order they were added in. */
interface Buckets {
  readonly drafts: Map<number, Set<Draft>>;
  readonly spans: Map<Draft, Span>;
  readonly order: Map<Draft, number>;
}

/**
 * An index of drafts by time: each draft is listed in every hour bucket
 * that its span touches, so that a query looks only at drafts near a span.
 * Call `update` after a draft's span changes.
 */
export class DraftIndex {
  /** Drafts in the order they were added, while there are no buckets. */
  readonly #drafts: Draft[] = [];
  #buckets: Buckets | undefined;

  add(draft: Draft): void {
    if (this.#buckets !== undefined) {
      addToBuckets(this.#buckets, draft);
      return;
    }
    if (!this.#drafts.includes(draft)) {
      this.#drafts.push(draft);
    }
    if (this.#drafts.length > MAX_UNBUCKETED_DRAFTS) {
      const buckets: Buckets = {
        drafts: new Map(),
        spans: new Map(),
        order: new Map(),
      };
      for (const known of this.#drafts) {
        addToBuckets(buckets, known);
      }
      this.#buckets = buckets;
    }
  }

  update(draft: Draft): void {
    const buckets = this.#buckets;
    if (buckets === undefined) {
      return;
    }
    const span = buckets.spans.get(draft);
    if (span !== undefined) {
      const last = lastBucketOf(span);
      for (let bucket = firstBucketOf(span); bucket <= last; bucket++) {
        buckets.drafts.get(bucket)?.delete(draft);
      }
    }
    addToBuckets(buckets, draft);
  }

  /** Returns the drafts whose spans may meet `span`, in the order they were added. */
  near(span: Span): Draft[] {
    const buckets = this.#buckets;
    if (buckets === undefined) {
      return [...this.#drafts];
    }
    const found = new Set<Draft>();
    const last = lastBucketOf(span);
    for (let bucket = firstBucketOf(span); bucket <= last; bucket++) {
      const drafts = buckets.drafts.get(bucket);
      if (drafts !== undefined) {
        for (const draft of drafts) {
          found.add(draft);
        }
      }
    }
    const near = [...found];
    if (near.length > 1) {
      near.sort((a, b) => buckets.order.get(a)! - buckets.order.get(b)!);
    }
    return near;
  }
}

function addToBuckets(buckets: Buckets, draft: Draft): void {
  const span = spanOf(draft);
  buckets.spans.set(draft, span);
  if (!buckets.order.has(draft)) {
    buckets.order.set(draft, buckets.order.size);
  }
  const last = lastBucketOf(span);
  for (let bucket = firstBucketOf(span); bucket <= last; bucket++) {
    let drafts = buckets.drafts.get(bucket);
    if (drafts === undefined) {
      drafts = new Set();
      buckets.drafts.set(bucket, drafts);
    }
    drafts.add(draft);
  }
}

function firstBucketOf(span: Span): number {
  return Math.floor(span.start / BUCKET_MILLISECONDS);
}

function lastBucketOf(span: Span): number {
  return Math.floor(span.end / BUCKET_MILLISECONDS);
}
