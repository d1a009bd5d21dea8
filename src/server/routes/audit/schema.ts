import { Type } from "typebox";

const CalendarDate = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "Calendar date in Asia/Seoul, YYYY-MM-DD",
});
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Page = Type.Integer({ minimum: 1, maximum: 100_000 });
const PageSize = Type.Integer({ minimum: 1, maximum: 500 });

export const AuditEventQuery = Type.Object(
  {
    actor: Type.Optional(
      Type.String({
        maxLength: 100,
        description: "Username of the acting account, matched exactly",
      }),
    ),
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: "^[a-z0-9_.]*\\*?$",
        description:
          "Action such as case.view, or a prefix ending in * such as session.*",
      }),
    ),
    personId: Type.Optional(Id),
    caseId: Type.Optional(Id),
    result: Type.Optional(
      Type.Union([
        Type.Literal("allowed"),
        Type.Literal("denied"),
        Type.Literal("succeeded"),
        Type.Literal("failed"),
      ]),
    ),
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    page: Type.Optional(Page),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);

export const PersonHistoryParams = Type.Object({ personId: Id });

export const PersonHistoryQuery = Type.Object(
  { page: Type.Optional(Page), pageSize: Type.Optional(PageSize) },
  { additionalProperties: false },
);

export const MonthlyReviewQuery = Type.Object(
  {
    month: Type.String({
      pattern: "^\\d{4}-(0[1-9]|1[0-2])$",
      description: "Calendar month in Asia/Seoul, YYYY-MM",
    }),
  },
  { additionalProperties: false },
);
