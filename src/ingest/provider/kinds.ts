import type { SourceKind } from "../../store/index.js";

/** Kinds of provider data, as `--kind` names them. */
export const PROVIDER_KINDS = [
  "base-station",
  "card",
  "gps",
  "checkin",
  "interview",
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Type of a field, which decides how its value is read and checked. */
export type FieldType =
  | "text"
  | "time"
  | "date"
  | "latitude"
  | "longitude"
  | "meters"
  | "amount"
  | "boolean"
  | "phone"
  | "card_number"
  | "cell_type";

/** One column of a kind's template. */
export interface FieldSpec {
  /** Column name in the CSV template and property name in the JSON Schema. */
  name: string;
  type: FieldType;
  /** True when every row must have a value; see also `KindSpec.rules`. */
  required: boolean;
  /** Other header names that mean this column, such as `lat` or `위도`. */
  aliases: readonly string[];
  /**
   * Header names of a column whose value replaces this one where this one
   * is blank or absent, such as a local patient id for a missing global
   * id. The reader names it `<name>:fallback`.
   */
  fallbackAliases?: readonly string[];
  description: string;
}

/** A kind of provider data: its columns, the store's name for it and a sample. */
export interface KindSpec {
  kind: ProviderKind;
  sourceKind: SourceKind;
  title: string;
  fields: readonly FieldSpec[];
  /** Rules across columns, as sentences for the documentation. */
  rules: readonly string[];
  /** Column sets of which the header must contain at least one column each. */
  anyOf: readonly (readonly string[])[];
  /** Sample data rows, in the order of `fields`. */
  sample: readonly (readonly string[])[];
  /** Known file layouts whose columns map differently from the aliases. */
  layouts?: readonly FileLayout[];
}

/**
 * A published file layout, recognised by its whole header, in which a
 * column too generic to be an alias names a template column.
 */
export interface FileLayout {
  /** Name of the layout, for the documentation. */
  name: string;
  /** The header's column names, in order. */
  header: readonly string[];
  /** Template column of a header column, by the header column's name. */
  columns: Readonly<Record<string, string>>;
}

/**
 * Accuracy radius in metres of a base-station record without one, by cell
 * type.
 *
 * NOTE: these are estimates chosen for this system, not operator figures.
 * Operators claim better than 100 m in dense Seoul, while a rural macro
 * cell spans kilometres.
 */
export const DEFAULT_CELL_RADIUS_METERS = {
  macro: 1_000,
  micro: 300,
  pico: 100,
  femto: 30,
} as const;
export type CellType = keyof typeof DEFAULT_CELL_RADIUS_METERS;

/** Cell type assumed when a record gives none. */
export const DEFAULT_CELL_TYPE: CellType = "macro";

/** Korean and other names of the cell types. */
export const CELL_TYPE_ALIASES: Readonly<Record<string, CellType>> = {
  macro: "macro",
  매크로: "macro",
  micro: "micro",
  마이크로: "micro",
  pico: "pico",
  피코: "pico",
  femto: "femto",
  펨토: "femto",
};

const SUBJECT_ALIASES = ["subject_id", "person", "person_id", "대상자"];

const latitude = (description: string, required: boolean): FieldSpec => ({
  name: "latitude",
  type: "latitude",
  required,
  aliases: ["lat", "y", "위도"],
  description: `${description}: WGS 84 latitude in decimal degrees, -90 to 90.`,
});

const longitude = (description: string, required: boolean): FieldSpec => ({
  name: "longitude",
  type: "longitude",
  required,
  aliases: ["lng", "lon", "long", "x", "경도"],
  description: `${description}: WGS 84 longitude in decimal degrees, -180 to 180.`,
});

const address = (description: string): FieldSpec => ({
  name: "address",
  type: "text",
  required: false,
  aliases: ["주소", "소재지"],
  description,
});

const TIME_NOTE =
  "ISO 8601 with an offset, such as 2024-03-05T14:30:00+09:00; a time without an offset is read in the declared zone.";

const GPS: KindSpec = {
  kind: "gps",
  sourceKind: "gps",
  title: "GPS position fixes",
  fields: [
    {
      name: "subject",
      type: "text",
      required: false,
      aliases: ["user", "uid", "user_id", "tracker", ...SUBJECT_ALIASES],
      description:
        "Id of the person or device. With `--subject`, a row naming anyone else is rejected.",
    },
    {
      name: "tracked_at",
      type: "time",
      required: false,
      aliases: [
        "datetime",
        "timestamp",
        "time",
        "t",
        "recorded_at",
        "일시",
        "시각",
      ],
      description: `Instant of the fix, or the start of a stay that ended_at ends. ${TIME_NOTE}`,
    },
    {
      name: "ended_at",
      type: "time",
      required: false,
      aliases: ["finished_at", "end_time"],
      description:
        "End of a stay, for exports that list visits in place of fixes.",
    },
    {
      name: "visit_date",
      type: "date",
      required: false,
      aliases: ["date", "날짜"],
      description:
        "Date of a visit known only to the day, in place of tracked_at.",
    },
    latitude("Position of the fix", true),
    longitude("Position of the fix", true),
    {
      name: "accuracy_meters",
      type: "meters",
      required: false,
      aliases: [
        "accuracy",
        "horizontal_accuracy",
        "hacc",
        "radius_meters",
        "정확도",
      ],
      description:
        "Horizontal accuracy in metres, as the device reports it (on Android, the radius of 68% confidence).",
    },
    {
      name: "altitude_meters",
      type: "meters",
      required: false,
      aliases: ["altitude", "elevation", "ele", "alt", "고도"],
      description: "Altitude in metres above sea level.",
    },
    {
      name: "place_name",
      type: "text",
      required: false,
      aliases: ["place", "장소"],
      description: "Name of the place of a stay, if the export names it.",
    },
    address("Address of the place of a stay, if the export gives it."),
  ],
  rules: ["Each row needs tracked_at or visit_date."],
  anyOf: [["tracked_at", "visit_date"]],
  sample: [
    [
      "P-0001",
      "2024-03-05T14:30:00+09:00",
      "",
      "",
      "37.5665",
      "126.9780",
      "12",
      "38",
      "",
      "",
    ],
    [
      "P-0001",
      "2024-03-05T14:31:00+09:00",
      "",
      "",
      "37.5670",
      "126.9784",
      "10",
      "39",
      "",
      "",
    ],
  ],
};

const BASE_STATION: KindSpec = {
  kind: "base-station",
  sourceKind: "base_station",
  title: "Base-station records of a mobile operator",
  fields: [
    {
      name: "phone_number",
      type: "phone",
      required: true,
      aliases: [
        "phone",
        "msisdn",
        "subscriber",
        "전화번호",
        "휴대폰번호",
        "가입자번호",
      ],
      description:
        "Subscriber phone number, such as 010-1234-5678 or +82 10 1234 5678. It is the subject unless `--subject` is given; only its last 4 digits are stored with the record.",
    },
    {
      name: "observed_at",
      type: "time",
      required: true,
      aliases: [
        "timestamp",
        "datetime",
        "time",
        "connected_at",
        "일시",
        "접속일시",
        "발생일시",
      ],
      description: `Instant at which the phone used the cell. ${TIME_NOTE} Compact 20240305143000 is read too.`,
    },
    {
      name: "cell_id",
      type: "text",
      required: true,
      aliases: ["cell", "ci", "eci", "기지국id", "기지국번호", "셀id"],
      description: "Operator's id of the cell.",
    },
    {
      name: "cell_type",
      type: "cell_type",
      required: false,
      aliases: ["기지국유형", "셀유형"],
      description: `macro, micro, pico or femto (매크로, 마이크로, 피코, 펨토). Sets the default radius when accuracy_meters is empty: ${Object.entries(
        DEFAULT_CELL_RADIUS_METERS,
      )
        .map(([type, meters]) => `${type} ${meters} m`)
        .join(", ")}; an empty cell type counts as ${DEFAULT_CELL_TYPE}.`,
    },
    latitude("Position of the cell's antenna", true),
    longitude("Position of the cell's antenna", true),
    {
      name: "accuracy_meters",
      type: "meters",
      required: false,
      aliases: ["accuracy", "radius", "radius_meters", "반경", "정확도"],
      description:
        "Radius in metres around the antenna within which the phone was.",
    },
    {
      name: "operator",
      type: "text",
      required: false,
      aliases: ["carrier", "통신사", "사업자"],
      description: "Mobile operator, such as SKT, KT or LGU+.",
    },
    address("Address of the cell site."),
  ],
  rules: [],
  anyOf: [],
  sample: [
    [
      "010-1234-5678",
      "2024-03-05T14:30:00+09:00",
      "45008-1234567",
      "macro",
      "37.5665",
      "126.9780",
      "",
      "SKT",
      "서울특별시 중구 세종대로 110",
    ],
    [
      "010-1234-5678",
      "2024-03-05T14:42:10+09:00",
      "45008-1234590",
      "micro",
      "37.5701",
      "126.9827",
      "250",
      "SKT",
      "",
    ],
  ],
};

const CARD: KindSpec = {
  kind: "card",
  sourceKind: "card",
  title: "Card transactions",
  fields: [
    {
      name: "subject",
      type: "text",
      required: false,
      aliases: ["cardholder", "cardholder_id", ...SUBJECT_ALIASES],
      description:
        "Id of the cardholder. With `--subject`, a row naming anyone else is rejected.",
    },
    {
      name: "card_number",
      type: "card_number",
      required: true,
      aliases: ["card", "card_no", "카드번호"],
      description:
        "Card number, 13 to 19 digits, with spaces or hyphens and masked digits (*) allowed. Records keep its last 4 digits, and the full number is stored encrypted on the person.",
    },
    {
      name: "paid_at",
      type: "time",
      required: true,
      aliases: [
        "approved_at",
        "transaction_at",
        "datetime",
        "time",
        "승인일시",
        "거래일시",
        "결제일시",
        "이용일시",
      ],
      description: `Instant of the transaction. ${TIME_NOTE}`,
    },
    {
      name: "merchant_name",
      type: "text",
      required: true,
      aliases: ["merchant", "가맹점명", "가맹점", "상호"],
      description: "Name of the merchant.",
    },
    address("Address of the merchant."),
    {
      name: "business_category",
      type: "text",
      required: false,
      aliases: ["category", "업종", "업종명"],
      description: "Business category of the merchant, such as 한식 or 편의점.",
    },
    latitude("Position of the merchant", false),
    longitude("Position of the merchant", false),
    {
      name: "amount_krw",
      type: "amount",
      required: false,
      aliases: ["amount", "금액", "승인금액", "이용금액"],
      description:
        "Amount in won; 12,000 and 12,000원 are read as 12000, and a cancellation is negative.",
    },
    {
      name: "card_company",
      type: "text",
      required: false,
      aliases: ["issuer", "카드사"],
      description: "Card company that issued the card.",
    },
  ],
  rules: ["Each row needs an address or a position (latitude and longitude)."],
  anyOf: [["address", "latitude"]],
  sample: [
    [
      "",
      "9430-12**-****-5678",
      "2024-03-05T12:10:00+09:00",
      "명동칼국수",
      "서울특별시 중구 명동10길 29",
      "한식",
      "37.5625",
      "126.9856",
      "9,000",
      "신한카드",
    ],
    [
      "",
      "9430-12**-****-5678",
      "2024-03-05T13:02:45+09:00",
      "GS25 명동점",
      "서울특별시 중구 명동길 14",
      "편의점",
      "",
      "",
      "2,400",
      "신한카드",
    ],
  ],
};

const CHECKIN: KindSpec = {
  kind: "checkin",
  sourceKind: "checkin",
  title: "Venue check-ins and visitor lists",
  fields: [
    {
      name: "subject",
      type: "text",
      required: false,
      aliases: [
        "phone",
        "phone_number",
        "visitor_id",
        "연락처",
        "전화번호",
        ...SUBJECT_ALIASES,
      ],
      description:
        "Id or phone number of the visitor. With `--subject`, a row naming anyone else is rejected.",
    },
    {
      name: "venue_id",
      type: "text",
      required: false,
      aliases: ["venue", "facility_id", "시설id", "업소id"],
      description: "Id of the venue in the check-in system.",
    },
    {
      name: "venue_name",
      type: "text",
      required: false,
      aliases: ["facility", "업소명", "시설명", "상호"],
      description: "Name of the venue.",
    },
    address("Address of the venue."),
    latitude("Position of the venue", false),
    longitude("Position of the venue", false),
    {
      name: "visit_date",
      type: "date",
      required: false,
      aliases: ["date", "방문일", "방문일자", "날짜"],
      description:
        "Date of the visit, for visitor lists that give times of day only.",
    },
    {
      name: "checked_in_at",
      type: "time",
      required: true,
      aliases: [
        "check_in",
        "entry",
        "entered_at",
        "입장",
        "입장시간",
        "입장시각",
        "출입시간",
        "체크인",
      ],
      description: `Instant of the check-in, or its time of day (14:30, 오후 2시 30분) when visit_date is given. ${TIME_NOTE}`,
    },
    {
      name: "checked_out_at",
      type: "time",
      required: false,
      aliases: [
        "check_out",
        "exit",
        "left_at",
        "퇴장",
        "퇴장시간",
        "퇴장시각",
        "체크아웃",
      ],
      description:
        "Instant or time of day of the check-out, if known. A time of day earlier than the check-in means the next day.",
    },
  ],
  rules: ["Each row needs a venue_id, venue_name, address or position."],
  anyOf: [["venue_id", "venue_name", "address", "latitude"]],
  sample: [
    [
      "010-2345-6789",
      "V-1029",
      "이태원 클럽 A",
      "서울특별시 용산구 이태원로 123",
      "37.5347",
      "126.9946",
      "2020-05-02",
      "23:40",
      "02:10",
    ],
    [
      "010-3456-7890",
      "V-1029",
      "이태원 클럽 A",
      "서울특별시 용산구 이태원로 123",
      "37.5347",
      "126.9946",
      "",
      "2020-05-03T00:15:00+09:00",
      "",
    ],
  ],
};

const INTERVIEW: KindSpec = {
  kind: "interview",
  layouts: [
    {
      name: "DS4C route.csv of February 2020",
      header: [
        "id",
        "date",
        "province",
        "city",
        "visit",
        "latitude",
        "longitude",
      ],
      columns: { id: "subject" },
    },
  ],
  sourceKind: "interview",
  title: "Places from the epidemiological interview",
  fields: [
    {
      name: "subject",
      type: "text",
      required: false,
      aliases: [...SUBJECT_ALIASES, "patient_id", "global_id"],
      fallbackAliases: ["local_id"],
      description:
        "Id of the interviewed person; where it is blank, a `local_id` column gives it. With `--subject`, a row naming anyone else is rejected.",
    },
    {
      name: "place_name",
      type: "text",
      required: false,
      aliases: ["place", "장소", "장소명", "방문장소"],
      description: "Name of the place.",
    },
    address("Address of the place."),
    latitude("Position of the place", false),
    longitude("Position of the place", false),
    {
      name: "visit_date",
      type: "date",
      required: false,
      aliases: ["date", "start", "start_date", "방문일", "날짜"],
      description:
        "Date of the visit, or its first day; alone, the visit is known only to the day.",
    },
    {
      name: "last_visit_date",
      type: "date",
      required: false,
      aliases: ["end", "end_date", "종료일"],
      description:
        "Last day of a date-only visit that spans several days. It needs visit_date and may equal it.",
    },
    {
      name: "arrived_at",
      type: "time",
      required: false,
      aliases: ["arrival", "도착", "도착시간", "방문시간"],
      description: `Instant of arrival, or its time of day when visit_date is given. ${TIME_NOTE}`,
    },
    {
      name: "departed_at",
      type: "time",
      required: false,
      aliases: ["departure", "출발", "출발시간"],
      description:
        "Instant or time of day of departure. A time of day earlier than the arrival means the next day.",
    },
    {
      name: "transport",
      type: "text",
      required: false,
      aliases: ["이동수단", "교통수단"],
      description: "How the person got there, such as 도보, 버스, 자가용.",
    },
    {
      name: "mask_worn",
      type: "boolean",
      required: false,
      aliases: ["mask", "마스크", "마스크착용"],
      description:
        "Whether a mask was worn: yes/no, true/false, Y/N, 예/아니오, 착용/미착용.",
    },
    {
      name: "note",
      type: "text",
      required: false,
      aliases: ["notes", "비고", "메모"],
      description: "Free text from the interview.",
    },
  ],
  rules: [
    "Each row needs an address or a position (latitude and longitude).",
    "Each row needs arrived_at or visit_date.",
    "last_visit_date needs visit_date and no arrived_at, and must not be earlier than visit_date.",
  ],
  anyOf: [
    ["address", "latitude"],
    ["arrived_at", "visit_date"],
  ],
  sample: [
    [
      "C-2020-0001",
      "명동 약국",
      "서울특별시 중구 명동길 20",
      "",
      "",
      "2024-03-05",
      "",
      "14:00",
      "14:20",
      "도보",
      "예",
      "",
    ],
    [
      "C-2020-0001",
      "직장",
      "",
      "37.5700",
      "126.9820",
      "2024-03-06",
      "",
      "",
      "",
      "버스",
      "아니오",
      "출근, 시간 기억 못함",
    ],
  ],
};

/** Every kind, by name. */
export const KIND_SPECS: Readonly<Record<ProviderKind, KindSpec>> = {
  "base-station": BASE_STATION,
  card: CARD,
  gps: GPS,
  checkin: CHECKIN,
  interview: INTERVIEW,
};

/** Tells whether a string names a provider kind. */
export function isProviderKind(value: string): value is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(value);
}
