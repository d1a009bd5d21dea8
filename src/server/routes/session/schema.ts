import { Type } from "typebox";

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

/** A TOTP code or, in its place, one of the recovery codes. */
export const SecondFactorBody = Type.Union([
  Type.Object(
    { code: Type.String({ pattern: "^[0-9]{6}$" }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { recoveryCode: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
]);

export const EnrolmentConfirmationBody = Type.Object(
  { code: Type.String({ pattern: "^[0-9]{6}$" }) },
  { additionalProperties: false },
);
