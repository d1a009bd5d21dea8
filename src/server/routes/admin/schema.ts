import { Type } from "typebox";

const RoleSchema = Type.Union([
  Type.Literal("administrator"),
  Type.Literal("investigator"),
  Type.Literal("police_approver"),
  Type.Literal("provider"),
  Type.Literal("auditor"),
]);

const OrganisationKindSchema = Type.Union([
  Type.Literal("national_agency"),
  Type.Literal("health_office"),
  Type.Literal("police"),
  Type.Literal("telecom_operator"),
  Type.Literal("card_association"),
  Type.Literal("card_company"),
  Type.Literal("audit_office"),
  Type.Literal("system_operator"),
]);

export const UserIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const NewUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: RoleSchema,
    organisationId: Type.String({ format: "uuid" }),
  },
  { additionalProperties: false },
);

export const UserChangesBody = Type.Object(
  { disabled: Type.Boolean() },
  { additionalProperties: false },
);

export const NewOrganisationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: OrganisationKindSchema,
    jurisdictionCode: Type.Optional(
      Type.String({ pattern: "^\\d{2}(\\d{3}(\\d{2})?)?$" }),
    ),
  },
  { additionalProperties: false },
);

export const OrganisationIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const OrganisationNetworksBody = Type.Object(
  {
    allowedNetworks: Type.Array(Type.String({ minLength: 2, maxLength: 64 }), {
      maxItems: 100,
    }),
  },
  { additionalProperties: false },
);
