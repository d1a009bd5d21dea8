/**
 * Masks a phone number for a reader who may know that there is one but not
 * which: every digit but the prefix and the last four, as 010-****-5678.
 */
export function maskPhoneNumber(phoneNumber: string | null): string | null {
  if (phoneNumber === null) {
    return null;
  }
  const digits = phoneNumber.replace(/\D/g, "");
  if (digits.length < 8) {
    return "*".repeat(digits.length);
  }
  return `${digits.slice(0, 3)}-****-${digits.slice(-4)}`;
}

/** Masks a Korean name to its first and last syllables, as 홍*동; a two-syllable name keeps its first. */
export function maskName(name: string | null): string | null {
  if (name === null) {
    return null;
  }
  const syllables = [...name.trim()];
  if (syllables.length <= 1) {
    return "*";
  }
  if (syllables.length === 2) {
    return `${syllables[0]}*`;
  }
  const middle = "*".repeat(syllables.length - 2);
  return `${syllables[0]}${middle}${syllables[syllables.length - 1]}`;
}

/** Masks an identifier such as a card holder reference to its last four characters. */
export function maskIdentifier(value: string | null): string | null {
  if (value === null) {
    return null;
  }
  const visible = value.slice(-4);
  return `${"*".repeat(Math.max(value.length - 4, 4))}${visible}`;
}
