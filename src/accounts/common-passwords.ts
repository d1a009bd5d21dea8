/**
 * Passwords that pass the length-and-kinds rule but are among the first an
 * attacker tries: keyboard walks on the QWERTY layout that Korean keyboards
 * share, words with digits appended, and their capitalised or symbol-ended
 * forms. Compared in lower case after removing one trailing symbol.
 *
 * NOTE: a short hand-written list, not a published breach corpus; a
 * deployment should replace it with a larger list of its own.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "1q2w3e4r5t",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "q1w2e3r4t5",
  "qwer1234",
  "qwerty1234",
  "qwertyuiop",
  "asdf1234",
  "asdfghjkl1",
  "zxcv1234",
  "zxcvbnm123",
  "abcd1234",
  "abc1234567",
  "a123456789",
  "password",
  "password1",
  "password12",
  "password123",
  "passw0rd",
  "p@ssw0rd",
  "p@ssw0rd1",
  "iloveyou12",
  "welcome123",
  "admin12345",
  "admin1234",
  "letmein123",
  "korea12345",
  "seoul12345",
  "sarang1234",
  "1234qwer",
  "1234asdf",
  "1234abcd",
  "123qwe123",
  "qwe123qwe",
  "epitrace123",
]);

/** Tells whether a password is on the list of common passwords. */
export function isCommonPassword(password: string): boolean {
  const normalised = password.toLowerCase().replace(/[^a-z0-9@]$/, "");
  return COMMON_PASSWORDS.has(normalised);
}
