import type {
  ContactOptions,
  InfectiousnessBucket,
  ProximityBucket,
} from "./types.js";

/** Every contact option except `infectiousPeriod`, resolved to a value. */
export type ResolvedContactOptions = Required<
  Omit<ContactOptions, "infectiousPeriod">
> &
  Pick<ContactOptions, "infectiousPeriod">;

/**
 * Proximity weights by the larger radius, shaped like the attenuation
 * buckets of the Google/Apple exposure notification risk model, because a
 * smaller uncertainty radius means a nearer, better known position.
 */
export const DEFAULT_PROXIMITY_BUCKETS: readonly ProximityBucket[] = [
  { maxRadiusMeters: 10, weight: 1 },
  { maxRadiusMeters: 50, weight: 0.5 },
  { maxRadiusMeters: 200, weight: 0.2 },
  { maxRadiusMeters: Infinity, weight: 0.05 },
];

/**
 * Infectiousness weights by day since symptom onset, shaped like the
 * "high", "standard" and "none" levels of the exposure notification risk
 * model. The weights 1.0 and 0.6 are epitrace's defaults, not values of a
 * published configuration.
 */
export const DEFAULT_INFECTIOUSNESS_BUCKETS: readonly InfectiousnessBucket[] = [
  { fromDay: -5, toDay: -3, weight: 0.6 },
  { fromDay: -2, toDay: 3, weight: 1 },
  { fromDay: 4, toDay: 9, weight: 0.6 },
];

/** Defaults of every contact option but `infectiousPeriod`. */
export const DEFAULT_CONTACT_OPTIONS = {
  daysBeforeReference: 2,
  contactDistanceMeters: 2,
  minimumMinutes: 15,
  proximityBuckets: DEFAULT_PROXIMITY_BUCKETS,
  infectiousnessBuckets: DEFAULT_INFECTIOUSNESS_BUCKETS,
} as const satisfies ResolvedContactOptions;

/** Fills in defaults and throws a RangeError naming the first invalid option. */
export function resolveContactOptions(
  options: ContactOptions,
): ResolvedContactOptions {
  const resolved: ResolvedContactOptions = {
    ...DEFAULT_CONTACT_OPTIONS,
    ...options,
  };

  requireNonNegative("daysBeforeReference", resolved.daysBeforeReference);
  requireNonNegative("contactDistanceMeters", resolved.contactDistanceMeters);
  requireNonNegative("minimumMinutes", resolved.minimumMinutes);
  validateProximityBuckets(resolved.proximityBuckets);
  for (const bucket of resolved.infectiousnessBuckets) {
    if (!(bucket.fromDay <= bucket.toDay) || !(bucket.weight >= 0)) {
      throw new RangeError(
        `Invalid infectiousness bucket ${JSON.stringify(bucket)}: expected fromDay <= toDay and weight >= 0.`,
      );
    }
  }

  const period = resolved.infectiousPeriod;
  if (period !== undefined && !(period.startsAt < period.endsAt)) {
    throw new RangeError(
      `Invalid infectiousPeriod: startsAt ${period.startsAt} must be before endsAt ${period.endsAt}.`,
    );
  }
  return resolved;
}

/** Returns the weight of the first bucket whose limit exceeds `radiusMeters`. */
export function proximityWeightOf(
  buckets: readonly ProximityBucket[],
  radiusMeters: number,
): number {
  for (const bucket of buckets) {
    if (radiusMeters < bucket.maxRadiusMeters) {
      return bucket.weight;
    }
  }
  return 0;
}

/** Returns the weight of the first bucket that contains `day`, or 0. */
export function infectiousnessWeightOf(
  buckets: readonly InfectiousnessBucket[],
  day: number,
): number {
  for (const bucket of buckets) {
    if (day >= bucket.fromDay && day <= bucket.toDay) {
      return bucket.weight;
    }
  }
  return 0;
}

function validateProximityBuckets(buckets: readonly ProximityBucket[]): void {
  let previousLimit = -Infinity;
  for (const bucket of buckets) {
    if (!(bucket.maxRadiusMeters > previousLimit) || !(bucket.weight >= 0)) {
      throw new RangeError(
        `Invalid proximity bucket ${JSON.stringify(bucket)}: limits must increase and weights be >= 0.`,
      );
    }
    previousLimit = bucket.maxRadiusMeters;
  }
}

function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `Invalid ${name}: ${value}; expected a finite number >= 0.`,
    );
  }
}
