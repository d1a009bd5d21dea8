import {
  addressOf,
  BUSINESS_CENTRES,
  businessPosition,
  CITY_BOUNDS,
  distanceMeters,
  districtNameOf,
  isInCity,
  METERS_PER_DEGREE_LATITUDE,
  METERS_PER_DEGREE_LONGITUDE,
  offset,
  positionNear,
  residentialPosition,
  type Position,
} from "./geo.js";
import { Random } from "./random.js";

/** Mobile operators, their share of subscribers and their mobile network code. */
export const OPERATORS = [
  { name: "SKT", share: 0.45, networkCode: "05" },
  { name: "KT", share: 0.3, networkCode: "08" },
  { name: "LGU+", share: 0.25, networkCode: "06" },
] as const;
export type OperatorName = (typeof OPERATORS)[number]["name"];

/** A cell of an operator's network. */
export interface Cell {
  readonly id: string;
  readonly type: "macro" | "micro";
  readonly latitude: number;
  readonly longitude: number;
  readonly radiusMeters: number;
  /** Address of the cell site; macro sites only. */
  readonly address: string | null;
  /** The CSV fields from `cell_id` to `address`, without the operator, written once. */
  readonly csvFields: string;
}

/** Kinds of places where persons stay. */
export type PlaceKind = "home" | "work" | "merchant" | "venue";

/** A place: a home, a workplace, a card merchant or a venue with QR check-in. */
export interface Place extends Position {
  readonly id: string;
  readonly kind: PlaceKind;
  readonly name: string;
  /** Business category as card companies name it (한식, 편의점, ...), or the venue type. */
  readonly category: string;
  readonly address: string;
  readonly district: string;
  /** Whether card transactions at this merchant carry its position (some give the address alone). */
  readonly cardHasPosition: boolean;
}

/** A business category of card merchants: names, time spent and amounts. */
export interface MerchantCategory {
  readonly category: string;
  readonly weight: number;
  readonly names: readonly string[];
  /** Minutes that a visit lasts, minimum and maximum. */
  readonly minutes: readonly [number, number];
  /** Share of the visit that passes before the payment. */
  readonly paymentShare: number;
  /** Amount in won, minimum and maximum. */
  readonly amountKrw: readonly [number, number];
  /** Whether the category serves meals, for lunch. */
  readonly meal: boolean;
}

export const MERCHANT_CATEGORIES: readonly MerchantCategory[] = [
  {
    category: "한식",
    weight: 5,
    names: ["칼국수", "국밥", "순두부", "갈비", "비빔밥", "감자탕", "백반"],
    minutes: [40, 70],
    paymentShare: 0.9,
    amountKrw: [8_000, 45_000],
    meal: true,
  },
  {
    category: "중식",
    weight: 1.5,
    names: ["반점", "짬뽕", "마라탕"],
    minutes: [35, 60],
    paymentShare: 0.9,
    amountKrw: [7_000, 40_000],
    meal: true,
  },
  {
    category: "일식",
    weight: 1.5,
    names: ["스시", "라멘", "돈카츠"],
    minutes: [35, 60],
    paymentShare: 0.9,
    amountKrw: [9_000, 50_000],
    meal: true,
  },
  {
    category: "분식",
    weight: 1.5,
    names: ["김밥", "떡볶이", "만두"],
    minutes: [20, 35],
    paymentShare: 0.85,
    amountKrw: [4_000, 15_000],
    meal: true,
  },
  {
    category: "휴게음식점(카페)",
    weight: 3,
    names: ["커피", "카페", "로스터스"],
    minutes: [20, 70],
    paymentShare: 0.05,
    amountKrw: [3_000, 15_000],
    meal: false,
  },
  {
    category: "편의점",
    weight: 3,
    names: ["GS25", "CU", "세븐일레븐", "이마트24"],
    minutes: [3, 8],
    paymentShare: 0.8,
    amountKrw: [1_000, 12_000],
    meal: false,
  },
  {
    category: "약국",
    weight: 1,
    names: ["온누리약국", "건강약국", "행복약국"],
    minutes: [5, 12],
    paymentShare: 0.8,
    amountKrw: [2_000, 20_000],
    meal: false,
  },
  {
    category: "슈퍼마켓",
    weight: 1.2,
    names: ["마트", "슈퍼", "식자재마트"],
    minutes: [15, 40],
    paymentShare: 0.9,
    amountKrw: [5_000, 80_000],
    meal: false,
  },
  {
    category: "제과점",
    weight: 1,
    names: ["베이커리", "제과"],
    minutes: [5, 15],
    paymentShare: 0.8,
    amountKrw: [3_000, 25_000],
    meal: false,
  },
  {
    category: "일반주점",
    weight: 1.5,
    names: ["포차", "호프", "이자카야"],
    minutes: [60, 150],
    paymentShare: 0.95,
    amountKrw: [20_000, 120_000],
    meal: false,
  },
];

const NAME_PREFIXES = [
  "원조",
  "명가",
  "옛날",
  "할매",
  "우리",
  "행복",
  "소문난",
  "장수",
  "청춘",
  "봄날",
];

/** Venue types with QR check-in, and the minutes a visit lasts. */
export const VENUE_TYPES: readonly {
  readonly type: string;
  readonly weight: number;
  readonly names: readonly string[];
  readonly minutes: readonly [number, number];
  /** Whether an outbreak may be seeded here (crowded, enclosed, long visits). */
  readonly seedable: boolean;
}[] = [
  {
    type: "노래연습장",
    weight: 2,
    names: ["노래방", "코인노래방", "노래타운"],
    minutes: [60, 150],
    seedable: true,
  },
  {
    type: "유흥주점",
    weight: 1.5,
    names: ["클럽", "라운지"],
    minutes: [90, 240],
    seedable: true,
  },
  {
    type: "헬스장",
    weight: 2,
    names: ["피트니스", "헬스클럽", "짐"],
    minutes: [50, 100],
    seedable: true,
  },
  {
    type: "PC방",
    weight: 1.5,
    names: ["PC방", "PC카페"],
    minutes: [60, 180],
    seedable: false,
  },
  {
    type: "종교시설",
    weight: 1,
    names: ["교회", "성당"],
    minutes: [60, 120],
    seedable: true,
  },
  {
    type: "학원",
    weight: 1,
    names: ["학원", "어학원"],
    minutes: [60, 120],
    seedable: false,
  },
];

/** Side of an analysis area of the hotspot files, in metres. */
export const AREA_SIDE_METERS = 1_000;

/** A square analysis area of the hotspot files. */
export interface Area extends Position {
  readonly id: string;
  /** Synthetic resident population, for the Poisson model. */
  readonly population: number;
}

/** The synthetic city: networks, places and analysis areas. */
export interface City {
  readonly cellsByOperator: ReadonlyMap<OperatorName, CellIndex>;
  readonly workplaces: readonly Place[];
  readonly merchants: readonly Place[];
  readonly venues: readonly Place[];
  readonly areas: readonly Area[];
}

/** Sizes of a city, from the number of persons it holds. */
export interface CitySize {
  readonly persons: number;
}

/** Builds the city for a number of persons, drawing from `seed`. */
export function buildCity(size: CitySize, seed: number): City {
  const cellsByOperator = new Map<OperatorName, CellIndex>();
  for (const operator of OPERATORS) {
    const random = new Random(seed, `cells:${operator.name}`);
    const cells = buildCells(operator.networkCode, random);
    cellsByOperator.set(operator.name, new CellIndex(cells));
  }
  const random = new Random(seed, "places");
  return {
    cellsByOperator,
    workplaces: buildWorkplaces(
      Math.max(20, Math.ceil(size.persons / 8)),
      random,
    ),
    merchants: buildMerchants(
      Math.max(200, Math.ceil(size.persons * 0.6)),
      random,
    ),
    venues: buildVenues(Math.max(24, Math.ceil(size.persons / 10)), random),
    areas: buildAreas(),
  };
}

/**
 * Lays out macro cells on a jittered grid about 1.4 km apart over the city.
 * Their radii grow from 750 m near the centre to 2,000 m at the edge. Micro
 * cells of 100 to 500 m cluster in the business districts.
 */
function buildCells(networkCode: string, random: Random): Cell[] {
  const cells: Cell[] = [];
  let serial = random.integer(1_000_000, 2_000_000);
  const nextId = () => `450${networkCode}-${serial++}`;
  const spacing = 1_400;
  const south = { latitude: CITY_BOUNDS.south, longitude: CITY_BOUNDS.west };
  const rows = Math.ceil(
    ((CITY_BOUNDS.north - CITY_BOUNDS.south) * METERS_PER_DEGREE_LATITUDE) /
      spacing,
  );
  const columns = Math.ceil(
    ((CITY_BOUNDS.east - CITY_BOUNDS.west) * METERS_PER_DEGREE_LONGITUDE) /
      spacing,
  );
  const centre = BUSINESS_CENTRES[0]!;

  for (let row = 0; row <= rows; row++) {
    for (let column = 0; column <= columns; column++) {
      const stagger = row % 2 === 0 ? 0 : spacing / 2;
      const position = offset(
        south,
        column * spacing + stagger + random.normal() * 200,
        row * spacing + random.normal() * 200,
      );
      if (!isInCity(position)) {
        continue;
      }
      const fromCentre = distanceMeters(position, centre);
      const radius = Math.min(
        2_000,
        750 + fromCentre * 0.06 + random.uniform(0, 300),
      );
      cells.push(
        makeCell(
          nextId(),
          "macro",
          position,
          Math.round(radius),
          addressOf(position, random),
        ),
      );
    }
  }

  for (const business of BUSINESS_CENTRES) {
    const count = Math.round(22 * business.weight);
    for (let k = 0; k < count; k++) {
      const position = positionNear(business, 1_100, random);
      cells.push(
        makeCell(
          nextId(),
          "micro",
          position,
          Math.round(random.uniform(100, 500)),
          null,
        ),
      );
    }
  }
  for (let k = 0; k < 50; k++) {
    const position = residentialPosition(random);
    cells.push(
      makeCell(
        nextId(),
        "micro",
        position,
        Math.round(random.uniform(150, 500)),
        null,
      ),
    );
  }
  return cells;
}

function makeCell(
  id: string,
  type: "macro" | "micro",
  position: Position,
  radiusMeters: number,
  address: string | null,
): Cell {
  const latitude = round6(position.latitude);
  const longitude = round6(position.longitude);
  return {
    id,
    type,
    latitude,
    longitude,
    radiusMeters,
    address,
    csvFields: `${id},${type},${latitude.toFixed(6)},${longitude.toFixed(6)}`,
  };
}

function buildWorkplaces(count: number, random: Random): Place[] {
  const kinds = [
    "사무실",
    "사무실",
    "사무실",
    "공장",
    "학교",
    "병원",
    "관공서",
    "매장",
  ];
  const places: Place[] = [];
  for (let k = 0; k < count; k++) {
    const position = businessPosition(random);
    const category = random.pick(kinds);
    places.push(
      makePlace(
        `W-${pad(k + 1, 4)}`,
        "work",
        `${category} ${k + 1}`,
        category,
        position,
        random,
        true,
      ),
    );
  }
  return places;
}

function buildMerchants(count: number, random: Random): Place[] {
  const places: Place[] = [];
  for (let k = 0; k < count; k++) {
    const category = random.pickWeighted(
      MERCHANT_CATEGORIES,
      (item) => item.weight,
    );
    const position = random.chance(0.55)
      ? businessPosition(random, 1_200)
      : residentialPosition(random);
    const district = districtNameOf(position);
    const brand = random.pick(category.names);
    const isChain = category.category === "편의점";
    const name = isChain
      ? `${brand} ${district.replace(/구$/, "")}${random.integer(1, 9)}호점`
      : `${random.pick(NAME_PREFIXES)}${brand} ${district.replace(/구$/, "")}점`;
    places.push(
      makePlace(
        `M-${pad(k + 1, 5)}`,
        "merchant",
        name,
        category.category,
        position,
        random,
        !random.chance(0.05),
      ),
    );
  }
  return places;
}

function buildVenues(count: number, random: Random): Place[] {
  const places: Place[] = [];
  for (let k = 0; k < count; k++) {
    const type = random.pickWeighted(VENUE_TYPES, (item) => item.weight);
    const position = random.chance(0.6)
      ? businessPosition(random, 1_000)
      : residentialPosition(random);
    const district = districtNameOf(position).replace(/구$/, "");
    const name = `${district} ${random.pick(type.names)} ${random.integer(1, 99)}`;
    places.push(
      makePlace(
        `V-${pad(k + 1, 4)}`,
        "venue",
        name,
        type.type,
        position,
        random,
        true,
      ),
    );
  }
  return places;
}

function makePlace(
  id: string,
  kind: PlaceKind,
  name: string,
  category: string,
  position: Position,
  random: Random,
  cardHasPosition: boolean,
): Place {
  return {
    id,
    kind,
    name,
    category,
    latitude: round6(position.latitude),
    longitude: round6(position.longitude),
    address: addressOf(position, random),
    district: districtNameOf(position),
    cardHasPosition,
  };
}

/** Returns a home at a residential position. */
export function makeHome(id: string, random: Random): Place {
  return makePlace(
    id,
    "home",
    "자택",
    "자택",
    residentialPosition(random),
    random,
    true,
  );
}

/**
 * Builds the analysis areas: squares of `AREA_SIDE_METERS` over the city
 * (those whose centre or a corner lies in it), numbered by row and column
 * from the south-west corner.
 */
function buildAreas(): Area[] {
  const areas: Area[] = [];
  const rows = Math.ceil(
    ((CITY_BOUNDS.north - CITY_BOUNDS.south) * METERS_PER_DEGREE_LATITUDE) /
      AREA_SIDE_METERS,
  );
  const columns = Math.ceil(
    ((CITY_BOUNDS.east - CITY_BOUNDS.west) * METERS_PER_DEGREE_LONGITUDE) /
      AREA_SIDE_METERS,
  );
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const touchesCity = [
        [0.5, 0.5],
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ].some(([east, north]) =>
        isInCity(
          offset(
            AREA_ORIGIN,
            (column + east!) * AREA_SIDE_METERS,
            (row + north!) * AREA_SIDE_METERS,
          ),
        ),
      );
      if (touchesCity) {
        areas.push(areaAt(row, column));
      }
    }
  }
  return areas;
}

const AREA_ORIGIN: Position = {
  latitude: CITY_BOUNDS.south,
  longitude: CITY_BOUNDS.west,
};

/**
 * Returns the area in a row and column, at its centre, with a synthetic
 * population of 8,000 to 28,000 residents that falls with distance from the
 * city centre.
 */
function areaAt(row: number, column: number): Area {
  const position = offset(
    AREA_ORIGIN,
    (column + 0.5) * AREA_SIDE_METERS,
    (row + 0.5) * AREA_SIDE_METERS,
  );
  const fromCentreKm = distanceMeters(position, BUSINESS_CENTRES[0]!) / 1_000;
  return {
    id: areaId(row, column),
    latitude: round6(position.latitude),
    longitude: round6(position.longitude),
    population: Math.round(8_000 + 20_000 * Math.exp(-fromCentreKm / 8)),
  };
}

/** Returns the analysis area that contains a position. */
export function areaOf(position: Position): Area {
  const row = Math.floor(
    ((position.latitude - CITY_BOUNDS.south) * METERS_PER_DEGREE_LATITUDE) /
      AREA_SIDE_METERS,
  );
  const column = Math.floor(
    ((position.longitude - CITY_BOUNDS.west) * METERS_PER_DEGREE_LONGITUDE) /
      AREA_SIDE_METERS,
  );
  return areaAt(row, column);
}

/** Returns the id of the analysis area that contains a position, such as A-1207. */
export function areaIdOf(position: Position): string {
  return areaOf(position).id;
}

function areaId(row: number, column: number): string {
  return `A-${pad(row, 2)}${pad(column, 2)}`;
}

/**
 * The cells of one network in buckets of about 1 km, to find the cells that
 * serve a position.
 */
export class CellIndex {
  readonly cells: readonly Cell[];
  readonly #buckets = new Map<number, Cell[]>();
  static readonly #BUCKET_METERS = 1_000;

  constructor(cells: readonly Cell[]) {
    this.cells = cells;
    for (const cell of cells) {
      const key = this.#keyOf(this.#row(cell), this.#column(cell));
      let bucket = this.#buckets.get(key);
      if (bucket === undefined) {
        bucket = [];
        this.#buckets.set(key, bucket);
      }
      bucket.push(cell);
    }
  }

  /**
   * Returns the cells that serve a position, best first: micro cells whose
   * radius covers it, nearest first, then covering macro cells, nearest
   * first. Returns the nearest cell alone when none covers the position.
   */
  servingCells(position: Position): Cell[] {
    const row = this.#row(position);
    const column = this.#column(position);
    const covering: { cell: Cell; distance: number }[] = [];
    let nearest: Cell | null = null;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let ring = 0; ring <= 3 || (nearest === null && ring <= 40); ring++) {
      for (let dr = -ring; dr <= ring; dr++) {
        for (let dc = -ring; dc <= ring; dc++) {
          if (Math.max(Math.abs(dr), Math.abs(dc)) !== ring) {
            continue;
          }
          for (const cell of this.#buckets.get(
            this.#keyOf(row + dr, column + dc),
          ) ?? []) {
            const distance = distanceMeters(position, cell);
            if (distance <= cell.radiusMeters) {
              covering.push({ cell, distance });
            }
            if (distance < nearestDistance) {
              nearest = cell;
              nearestDistance = distance;
            }
          }
        }
      }
    }
    if (covering.length === 0) {
      return nearest === null ? [] : [nearest];
    }
    covering.sort(
      (a, b) =>
        (a.cell.type === "micro" ? 0 : 1) - (b.cell.type === "micro" ? 0 : 1) ||
        a.distance - b.distance ||
        (a.cell.id < b.cell.id ? -1 : 1),
    );
    return covering.map((item) => item.cell);
  }

  #row(position: Position): number {
    return Math.floor(
      ((position.latitude - CITY_BOUNDS.south) * METERS_PER_DEGREE_LATITUDE) /
        CellIndex.#BUCKET_METERS,
    );
  }

  #column(position: Position): number {
    return Math.floor(
      ((position.longitude - CITY_BOUNDS.west) * METERS_PER_DEGREE_LONGITUDE) /
        CellIndex.#BUCKET_METERS,
    );
  }

  #keyOf(row: number, column: number): number {
    return row * 1_000 + column;
  }
}

/** Rounds degrees to 6 decimals (about 0.1 m), as the files write them. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Pads a non-negative integer with zeros to `width` digits. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
