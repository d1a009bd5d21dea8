import { Type } from "typebox";

const CalendarDate = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "Calendar date in Asia/Seoul, YYYY-MM-DD",
});
const NullableDate = Type.Union([CalendarDate, Type.Null()]);
const ShortText = Type.String({ maxLength: 200 });

export const CaseIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const CaseSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 64 })),
    province: Type.Optional(Type.String({ maxLength: 64 })),
    confirmedFrom: Type.Optional(CalendarDate),
    confirmedTo: Type.Optional(CalendarDate),
    status: Type.Optional(
      Type.Union([Type.Literal("open"), Type.Literal("closed")]),
    ),
    sort: Type.Optional(
      Type.Union([Type.Literal("confirmedDate"), Type.Literal("caseNumber")]),
    ),
    order: Type.Optional(
      Type.Union([Type.Literal("asc"), Type.Literal("desc")]),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const NewCaseBody = Type.Object(
  {
    caseNumber: Type.String({ minLength: 1, maxLength: 64 }),
    person: Type.Object(
      {
        label: Type.Optional(ShortText),
        name: Type.Optional(ShortText),
        sex: Type.Optional(ShortText),
        birthYear: Type.Optional(
          Type.Integer({ minimum: 1880, maximum: 2100 }),
        ),
        country: Type.Optional(ShortText),
        homeProvince: Type.Optional(ShortText),
        homeCity: Type.Optional(ShortText),
      },
      { additionalProperties: false },
    ),
    province: Type.Optional(ShortText),
    city: Type.Optional(ShortText),
    symptomOnsetDate: Type.Optional(CalendarDate),
    testDate: Type.Optional(CalendarDate),
    confirmedDate: Type.Optional(CalendarDate),
    isolationDate: Type.Optional(CalendarDate),
  },
  { additionalProperties: false },
);

export const CaseChangesBody = Type.Object(
  {
    symptomOnsetDate: Type.Optional(NullableDate),
    testDate: Type.Optional(NullableDate),
    confirmedDate: Type.Optional(NullableDate),
    isolationDate: Type.Optional(NullableDate),
    releasedDate: Type.Optional(NullableDate),
    deceasedDate: Type.Optional(NullableDate),
    state: Type.Optional(Type.Union([ShortText, Type.Null()])),
    status: Type.Optional(
      Type.Union([Type.Literal("open"), Type.Literal("closed")]),
    ),
  },
  { additionalProperties: false },
);

export const CloseCaseBody = Type.Object(
  { closedDate: Type.Optional(CalendarDate) },
  { additionalProperties: false },
);

export const InterviewVisitBody = Type.Object(
  {
    placeName: Type.String({ minLength: 1, maxLength: 200 }),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    visitDate: Type.Optional(CalendarDate),
    startedAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "ISO 8601 instant with offset",
      }),
    ),
    endedAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "ISO 8601 instant with offset",
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
