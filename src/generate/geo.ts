import type { Random } from "./random.js";

/** A WGS 84 position in decimal degrees. */
export interface Position {
  readonly latitude: number;
  readonly longitude: number;
}

/** Bounds of the synthetic city, which cover Seoul. */
export const CITY_BOUNDS = {
  south: 37.43,
  north: 37.7,
  west: 126.76,
  east: 127.18,
} as const;

/** Metres per degree of latitude, and of longitude at the city's latitude. */
export const METERS_PER_DEGREE_LATITUDE = 111_320;
export const METERS_PER_DEGREE_LONGITUDE =
  111_320 * Math.cos((37.56 * Math.PI) / 180);

/** A district (gu) of Seoul: its approximate centre and some of its main roads. */
interface District {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly roads: readonly string[];
}

/**
 * The 25 districts of Seoul by the approximate position of their centres.
 * The city is the union of the discs of `DISTRICT_RADIUS_METERS` around
 * them, a rough outline of Seoul.
 */
const DISTRICTS: readonly District[] = [
  {
    name: "종로구",
    latitude: 37.5735,
    longitude: 126.979,
    roads: ["종로", "율곡로", "자하문로"],
  },
  {
    name: "중구",
    latitude: 37.5641,
    longitude: 126.9979,
    roads: ["세종대로", "을지로", "퇴계로"],
  },
  {
    name: "용산구",
    latitude: 37.5324,
    longitude: 126.9906,
    roads: ["이태원로", "한강대로", "녹사평대로"],
  },
  {
    name: "성동구",
    latitude: 37.5634,
    longitude: 127.0369,
    roads: ["왕십리로", "성수이로", "고산자로"],
  },
  {
    name: "광진구",
    latitude: 37.5385,
    longitude: 127.0824,
    roads: ["능동로", "아차산로", "자양로"],
  },
  {
    name: "동대문구",
    latitude: 37.5744,
    longitude: 127.0396,
    roads: ["왕산로", "천호대로", "전농로"],
  },
  {
    name: "중랑구",
    latitude: 37.6063,
    longitude: 127.0925,
    roads: ["망우로", "동일로", "면목로"],
  },
  {
    name: "성북구",
    latitude: 37.5894,
    longitude: 127.0167,
    roads: ["보문로", "동소문로", "정릉로"],
  },
  {
    name: "강북구",
    latitude: 37.6396,
    longitude: 127.0257,
    roads: ["도봉로", "삼양로", "한천로"],
  },
  {
    name: "도봉구",
    latitude: 37.6688,
    longitude: 127.0471,
    roads: ["도봉로", "방학로", "해등로"],
  },
  {
    name: "노원구",
    latitude: 37.6542,
    longitude: 127.0568,
    roads: ["동일로", "노해로", "상계로"],
  },
  {
    name: "은평구",
    latitude: 37.6027,
    longitude: 126.9291,
    roads: ["통일로", "연서로", "은평로"],
  },
  {
    name: "서대문구",
    latitude: 37.5791,
    longitude: 126.9368,
    roads: ["연세로", "신촌로", "통일로"],
  },
  {
    name: "마포구",
    latitude: 37.5663,
    longitude: 126.9019,
    roads: ["양화로", "월드컵로", "독막로"],
  },
  {
    name: "양천구",
    latitude: 37.517,
    longitude: 126.8665,
    roads: ["목동로", "오목로", "신월로"],
  },
  {
    name: "강서구",
    latitude: 37.5509,
    longitude: 126.8495,
    roads: ["공항대로", "화곡로", "양천로"],
  },
  {
    name: "구로구",
    latitude: 37.4954,
    longitude: 126.8874,
    roads: ["디지털로", "구로중앙로", "경인로"],
  },
  {
    name: "금천구",
    latitude: 37.4569,
    longitude: 126.8955,
    roads: ["시흥대로", "가산디지털1로", "독산로"],
  },
  {
    name: "영등포구",
    latitude: 37.5264,
    longitude: 126.8962,
    roads: ["여의대로", "국제금융로", "영등포로"],
  },
  {
    name: "동작구",
    latitude: 37.5124,
    longitude: 126.9393,
    roads: ["노량진로", "상도로", "동작대로"],
  },
  {
    name: "관악구",
    latitude: 37.4784,
    longitude: 126.9516,
    roads: ["관악로", "남부순환로", "신림로"],
  },
  {
    name: "서초구",
    latitude: 37.4837,
    longitude: 127.0324,
    roads: ["서초대로", "강남대로", "반포대로"],
  },
  {
    name: "강남구",
    latitude: 37.5172,
    longitude: 127.0473,
    roads: ["테헤란로", "강남대로", "도산대로"],
  },
  {
    name: "송파구",
    latitude: 37.5145,
    longitude: 127.1059,
    roads: ["올림픽로", "송파대로", "백제고분로"],
  },
  {
    name: "강동구",
    latitude: 37.5301,
    longitude: 127.1238,
    roads: ["천호대로", "양재대로", "성내로"],
  },
];

const DISTRICT_RADIUS_METERS = 3_800;

/**
 * Centres of business districts, with weights for workplaces and small
 * cells: the old city centre, Gangnam, Yeouido, Jamsil, the Guro and Gasan
 * digital complexes, Hongdae, Seongsu, Magok and Sangam.
 */
export const BUSINESS_CENTRES: readonly (Position & { weight: number })[] = [
  { latitude: 37.5665, longitude: 126.978, weight: 3 },
  { latitude: 37.5, longitude: 127.036, weight: 3 },
  { latitude: 37.5219, longitude: 126.9245, weight: 2 },
  { latitude: 37.513, longitude: 127.1, weight: 1 },
  { latitude: 37.4835, longitude: 126.8965, weight: 1.5 },
  { latitude: 37.5563, longitude: 126.9236, weight: 1 },
  { latitude: 37.5445, longitude: 127.056, weight: 1 },
  { latitude: 37.5602, longitude: 126.8254, weight: 0.8 },
  { latitude: 37.5791, longitude: 126.8895, weight: 0.7 },
];

/** Returns the approximate distance in metres between two positions (equirectangular). */
export function distanceMeters(a: Position, b: Position): number {
  const dy = (a.latitude - b.latitude) * METERS_PER_DEGREE_LATITUDE;
  const dx = (a.longitude - b.longitude) * METERS_PER_DEGREE_LONGITUDE;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Returns the position `eastMeters` east and `northMeters` north of `origin`. */
export function offset(
  origin: Position,
  eastMeters: number,
  northMeters: number,
): Position {
  return {
    latitude: origin.latitude + northMeters / METERS_PER_DEGREE_LATITUDE,
    longitude: origin.longitude + eastMeters / METERS_PER_DEGREE_LONGITUDE,
  };
}

/** Tells whether a position lies in the synthetic city. */
export function isInCity(position: Position): boolean {
  if (
    position.latitude < CITY_BOUNDS.south ||
    position.latitude > CITY_BOUNDS.north ||
    position.longitude < CITY_BOUNDS.west ||
    position.longitude > CITY_BOUNDS.east
  ) {
    return false;
  }
  return DISTRICTS.some(
    (district) => distanceMeters(position, district) <= DISTRICT_RADIUS_METERS,
  );
}

/** Returns the district whose centre is nearest to a position. */
function districtOf(position: Position): District {
  let best = DISTRICTS[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const district of DISTRICTS) {
    const distance = distanceMeters(position, district);
    if (distance < bestDistance) {
      best = district;
      bestDistance = distance;
    }
  }
  return best;
}

/** Returns the name of the district of a position, such as 마포구. */
export function districtNameOf(position: Position): string {
  return districtOf(position).name;
}

/** Returns a synthetic road address in the district of a position, such as 서울특별시 마포구 양화로12길 34. */
export function addressOf(position: Position, random: Random): string {
  const district = districtOf(position);
  const road = random.pick(district.roads);
  const number = random.integer(1, 180);
  const side = random.chance(0.5) ? `${random.integer(1, 40)}길` : "";
  return `서울특별시 ${district.name} ${road}${side} ${number}`;
}

/** Returns a position in the city drawn around a centre, with a normal spread in metres. */
export function positionNear(
  centre: Position,
  spreadMeters: number,
  random: Random,
): Position {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = offset(
      centre,
      random.normal() * spreadMeters,
      random.normal() * spreadMeters,
    );
    if (isInCity(candidate)) {
      return candidate;
    }
  }
  return isInCity(centre) ? centre : randomCityPosition(random);
}

/** Returns a position drawn uniformly over the city. */
export function randomCityPosition(random: Random): Position {
  for (;;) {
    const candidate = {
      latitude: random.uniform(CITY_BOUNDS.south, CITY_BOUNDS.north),
      longitude: random.uniform(CITY_BOUNDS.west, CITY_BOUNDS.east),
    };
    if (isInCity(candidate)) {
      return candidate;
    }
  }
}

/** Returns a residential position: near a district centre, every district alike. */
export function residentialPosition(random: Random): Position {
  const district = random.pick(DISTRICTS);
  return positionNear(district, 1_600, random);
}

/** Returns a position in a business district, weighted by its size, or elsewhere in the city. */
export function businessPosition(random: Random, spreadMeters = 900): Position {
  if (random.chance(0.25)) {
    return residentialPosition(random);
  }
  const centre = random.pickWeighted(BUSINESS_CENTRES, (item) => item.weight);
  return positionNear(centre, spreadMeters, random);
}

/** Returns the approximate ground altitude in metres of a position: a smooth synthetic relief. */
export function altitudeOf(position: Position): number {
  const north = (position.latitude - CITY_BOUNDS.south) * 40;
  const east = (position.longitude - CITY_BOUNDS.west) * 30;
  return 20 + 25 * (1 + Math.sin(north * 3.1) * Math.cos(east * 2.3));
}
