type WithoutUndefined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<
    T[K],
    undefined
  >;
};

/**
 * Drops keys whose value is undefined, so that a validated request body
 * fits types written with exactOptionalPropertyTypes.
 */
export function withoutUndefined<T extends object>(
  value: T,
): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as WithoutUndefined<T>;
}
