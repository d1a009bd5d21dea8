import { AppError } from "../errors.js";

/** Korean mobile numbers: 010, or the older 011, 016, 017, 018 and 019, then 7 or 8 digits. */
const MOBILE_NUMBER = /^01[016789]\d{7,8}$/;

/**
 * Normalises a Korean mobile number to its digits, such as 01012345678.
 * Spaces, dots and dashes are dropped and a leading +82 becomes 0. Raises
 * `validation_failed` for anything else.
 */
export function normalisePhoneNumber(value: string): string {
  let digits = value.replace(/[\s.-]/g, "");
  if (digits.startsWith("+82")) {
    digits = `0${digits.slice(3).replace(/^0/, "")}`;
  }
  if (!MOBILE_NUMBER.test(digits)) {
    throw new AppError(
      "validation_failed",
      `Invalid phoneNumber: expected a Korean mobile number such as 010-1234-5678 or +82 10 1234 5678.`,
    );
  }
  return digits;
}

/** Trims a card holder reference and raises `validation_failed` when it is empty or longer than 100 characters. */
export function normaliseCardHolder(value: string): string {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.length > 100) {
    throw new AppError(
      "validation_failed",
      "Invalid cardHolder: expected the card association's reference of the holder, 1 to 100 characters.",
    );
  }
  return trimmed;
}
