import { Type } from "typebox";

const CalendarDate = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "Calendar date in Asia/Seoul, YYYY-MM-DD",
});

export const DataKindSchema = Type.Union([
  Type.Literal("base_station"),
  Type.Literal("card"),
  Type.Literal("checkin"),
  Type.Literal("gps"),
]);

const RequestStateSchema = Type.Union([
  Type.Literal("draft"),
  Type.Literal("submitted"),
  Type.Literal("awaiting_police_approval"),
  Type.Literal("approved"),
  Type.Literal("rejected"),
  Type.Literal("sent_to_providers"),
  Type.Literal("partly_answered"),
  Type.Literal("answered"),
  Type.Literal("failed"),
  Type.Literal("expired"),
  Type.Literal("withdrawn"),
]);

const Reason = Type.String({ minLength: 1, maxLength: 2000 });

export const RequestIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const UploadIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
  uploadId: Type.String({ format: "uuid" }),
});

export const NewRequestBody = Type.Object(
  {
    caseId: Type.String({ format: "uuid" }),
    dataKinds: Type.Array(DataKindSchema, { minItems: 1, maxItems: 4 }),
    phoneNumber: Type.Optional(Type.String({ maxLength: 32 })),
    cardHolder: Type.Optional(Type.String({ maxLength: 100 })),
    windowStartDate: CalendarDate,
    windowEndDate: CalendarDate,
    purpose: Type.String({ minLength: 1, maxLength: 2000 }),
    legalBasis: Type.Union([Type.Literal("76-2(1)"), Type.Literal("76-2(2)")], {
      description:
        "Article of the Infectious Disease Control and Prevention Act: 76-2(1) for personal data, 76-2(2) for location data through the police",
    }),
    providerOrganisationIds: Type.Optional(
      Type.Array(Type.String({ format: "uuid" }), { maxItems: 100 }),
    ),
    exposurePlace: Type.Optional(
      Type.Object(
        {
          latitude: Type.Number({ minimum: -90, maximum: 90 }),
          longitude: Type.Number({ minimum: -180, maximum: 180 }),
          radiusMeters: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 1000,
              description: "Radius around the point, in metres; default 100",
            }),
          ),
          minDwellMinutes: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1440,
              description: "Shortest presence listed, in minutes; default 30",
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "Makes the request an exposure request: the operators list the subscribers present at the place",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SubscriberIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
  subscriberId: Type.String({ format: "uuid" }),
});

export const RequestSearchQuery = Type.Object(
  {
    caseId: Type.Optional(Type.String({ format: "uuid" })),
    state: Type.Optional(RequestStateSchema),
    overdue: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const ApprovalSearchQuery = Type.Object(
  { state: Type.Optional(RequestStateSchema) },
  { additionalProperties: false },
);

export const ReasonBody = Type.Object(
  { reason: Reason },
  { additionalProperties: false },
);

export const OptionalReasonBody = Type.Union([
  Type.Object(
    { reason: Type.Optional(Reason) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
