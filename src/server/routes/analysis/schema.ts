import { Type } from "typebox";

import {
  MAX_SCAN_PERIOD_DAYS,
  MAX_SCAN_REPLICATIONS,
} from "../../../investigation/index.js";

const CalendarDate = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "Calendar date in Asia/Seoul, YYYY-MM-DD",
});
const Instant = Type.String({
  maxLength: 40,
  description:
    "ISO 8601 instant with offset, such as 2020-02-20T09:00:00+09:00",
});

export const CaseContactsParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const CaseRouteQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        ...CalendarDate,
        description:
          "First Seoul date of the hourly slots, YYYY-MM-DD; give it with to. Default: the days of the stays, at most the last 62",
      }),
    ),
    to: Type.Optional(
      Type.String({
        ...CalendarDate,
        description:
          "Last Seoul date of the hourly slots, included; at most 62 days from from",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CaseContactsQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          "Start of a set infectious period, an ISO 8601 instant with offset; give it with to",
      }),
    ),
    to: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "End of a set infectious period, exclusive",
      }),
    ),
    contactDistanceMeters: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1000,
        description: "Metres added to the two stays' radii; default 2",
      }),
    ),
    minimumMinutes: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1440,
        description: "Minimum cumulative minutes of a contact; default 15",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ContactDecisionParams = Type.Object({
  id: Type.String({ format: "uuid" }),
  personId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const ContactDecisionBody = Type.Object(
  {
    decision: Type.Union([
      Type.Literal("confirmed"),
      Type.Literal("dismissed"),
    ]),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

const HotspotUnit = Type.Union([Type.Literal("h3"), Type.Literal("area")], {
  description:
    "Count stays in H3 cells or in stored administrative areas; default h3",
});
const AreaLevel = Type.Union(
  [Type.Literal("municipality"), Type.Literal("submunicipality")],
  {
    description:
      "Level of the areas: municipality (si/gun/gu) or submunicipality (eup/myeon/dong); default municipality",
  },
);
const H3Resolution = Type.Integer({
  minimum: 0,
  maximum: 15,
  description: "H3 resolution of the cells; default 8",
});

export const HotspotQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    method: Type.Optional(
      Type.Union([Type.Literal("gi-star"), Type.Literal("co-location")], {
        description: "Default gi-star",
      }),
    ),
    resolution: Type.Optional(H3Resolution),
    unit: Type.Optional(HotspotUnit),
    areaLevel: Type.Optional(AreaLevel),
    weights: Type.Optional(
      Type.Union([Type.Literal("k-nearest"), Type.Literal("distance-band")], {
        description:
          "Neighbours of an area in Gi*: its k nearest areas, or the areas within bandMeters; default k-nearest",
      }),
    ),
    k: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description:
          "Nearest areas of each area, with weights=k-nearest; default 6",
      }),
    ),
    bandMeters: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 500_000,
        description:
          "Largest distance in metres between the positions of two neighbouring areas, inclusive; required with weights=distance-band",
      }),
    ),
    dayLevel: Type.Optional(
      Type.Boolean({
        description:
          "Whether co-location counts persons who share only a Seoul day with a case; default true",
      }),
    ),
  },
  { additionalProperties: false },
);

/** A GeoJSON position, [longitude, latitude] in WGS 84 degrees; a third value (height) is ignored. */
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });

/**
 * A GeoJSON Polygon. Only the shape and sizes are checked here, so that
 * `checkPolygon` can name the ring and position that break its rules.
 */
const ExposurePolygon = Type.Object(
  {
    type: Type.Literal("Polygon"),
    coordinates: Type.Array(Type.Array(Position, { maxItems: 1000 }), {
      maxItems: 20,
      description:
        "Rings of [longitude, latitude] positions, the first the outer boundary, the others holes. Each ring is closed (its last position equals its first) and has at least 4 positions",
    }),
    bbox: Type.Optional(Type.Array(Type.Number())),
  },
  {
    additionalProperties: false,
    description:
      "GeoJSON Polygon place, in place of latitude, longitude and radiusMeters; at most 2,000 m each way",
  },
);

export const SpaceTimeScanQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    unit: Type.Optional(HotspotUnit),
    resolution: Type.Optional(H3Resolution),
    areaLevel: Type.Optional(AreaLevel),
    model: Type.Optional(
      Type.Literal("space-time-permutation", {
        description:
          "Probability model; the store holds no population, so Poisson is not offered",
      }),
    ),
    analysis: Type.Optional(
      Type.Union([Type.Literal("retrospective"), Type.Literal("prospective")], {
        description:
          "retrospective scans the whole period, prospective only clusters that end on its last day; default retrospective",
      }),
    ),
    maxRadiusKm: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1000,
        description: "Maximum circle radius in kilometres; default 3",
      }),
    ),
    maxDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SCAN_PERIOD_DAYS,
        description:
          "Maximum cluster length in days; default 7, or the period when shorter",
      }),
    ),
    replications: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_SCAN_REPLICATIONS,
        description: `Monte Carlo replications; default 999, at most ${MAX_SCAN_REPLICATIONS}`,
      }),
    ),
    seed: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 4_294_967_295,
        description: "Seed of the replications; default 1",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ExposureBody = Type.Object(
  {
    latitude: Type.Optional(
      Type.Number({
        minimum: -90,
        maximum: 90,
        description: "Centre of a circular place; give it with longitude",
      }),
    ),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    radiusMeters: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1000,
        description: "Radius of a circular place in metres; default 50",
      }),
    ),
    polygon: Type.Optional(ExposurePolygon),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    windows: Type.Optional(
      Type.Array(Type.Object({ from: Instant, to: Instant }), {
        minItems: 1,
        maxItems: 62,
        description:
          "Exposure windows, in place of from and to, such as each night of two weeks; at most 31 days from the first start to the last end",
      }),
    ),
    minDwellMinutes: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1440,
        description: "Minimum minutes inside the place; default 30",
      }),
    ),
  },
  { additionalProperties: false },
);

export const LinksQuery = Type.Object(
  {
    province: Type.Optional(
      Type.String({
        maxLength: 64,
        description: "Province as stored with the cases, such as Seoul",
      }),
    ),
  },
  { additionalProperties: false },
);
