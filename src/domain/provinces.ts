/** A first-level administrative division (시도) with its KOSTAT census code. */
export interface Province {
  /** Two-digit KOSTAT census code, as in the boundary files of 2018. */
  code: string;
  /** Official Korean name. */
  name: string;
  /** Romanised name as DS4C and most English sources spell it. */
  english: string;
}

export const PROVINCES: readonly Province[] = [
  { code: "11", name: "서울특별시", english: "Seoul" },
  { code: "21", name: "부산광역시", english: "Busan" },
  { code: "22", name: "대구광역시", english: "Daegu" },
  { code: "23", name: "인천광역시", english: "Incheon" },
  { code: "24", name: "광주광역시", english: "Gwangju" },
  { code: "25", name: "대전광역시", english: "Daejeon" },
  { code: "26", name: "울산광역시", english: "Ulsan" },
  { code: "29", name: "세종특별자치시", english: "Sejong" },
  { code: "31", name: "경기도", english: "Gyeonggi-do" },
  { code: "32", name: "강원도", english: "Gangwon-do" },
  { code: "33", name: "충청북도", english: "Chungcheongbuk-do" },
  { code: "34", name: "충청남도", english: "Chungcheongnam-do" },
  { code: "35", name: "전라북도", english: "Jeollabuk-do" },
  { code: "36", name: "전라남도", english: "Jeollanam-do" },
  { code: "37", name: "경상북도", english: "Gyeongsangbuk-do" },
  { code: "38", name: "경상남도", english: "Gyeongsangnam-do" },
  { code: "39", name: "제주특별자치도", english: "Jeju-do" },
];

/** Finds a province by its code, Korean name or romanised name. */
export function findProvince(nameOrCode: string): Province | undefined {
  const key = nameOrCode.trim().toLowerCase();
  return PROVINCES.find(
    (province) =>
      province.code === key ||
      province.name === key ||
      province.english.toLowerCase() === key,
  );
}
