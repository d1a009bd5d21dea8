/**
 * Returns the log-likelihood ratio of a cylinder with `observed` cases
 * where `expected` were expected, out of `total`, for a high-rate cluster:
 *
 *   c ln(c / mu) + (C - c) ln((C - c) / (C - mu))  when c > mu, else 0.
 *
 * It is the Poisson generalised likelihood ratio conditioned on the total,
 * used by both the Poisson model (Kulldorff 1997) and the space-time
 * permutation model (Kulldorff et al. 2005).
 */
export function logLikelihoodRatio(
  observed: number,
  expected: number,
  total: number,
): number {
  if (!(observed > expected)) {
    return 0;
  }
  const outside = total - observed;
  const insideTerm = observed * Math.log(observed / expected);
  if (outside <= 0) {
    return insideTerm;
  }
  return insideTerm + outside * Math.log(outside / (total - expected));
}

/** Returns (c / mu) / ((C - c) / (C - mu)), or Infinity when every case is inside. */
export function relativeRisk(
  observed: number,
  expected: number,
  total: number,
): number {
  const outside = total - observed;
  if (outside <= 0) {
    return Number.POSITIVE_INFINITY;
  }
  return observed / expected / (outside / (total - expected));
}
