import { describe, expect, it } from "vitest";

import { maskIdentifier, maskName, maskPhoneNumber } from "./mask.js";

describe("masking", () => {
  it("masks a mobile number", () => {
    expect(maskPhoneNumber("01012345678")).toBe("010-****-5678");
    expect(maskPhoneNumber("010-1234-5678")).toBe("010-****-5678");
  });

  it("masks a short number whole", () => {
    expect(maskPhoneNumber("1234")).toBe("****");
  });

  it("masks Korean names", () => {
    expect(maskName("홍길동")).toBe("홍*동");
    expect(maskName("남궁민수")).toBe("남**수");
    expect(maskName("이훈")).toBe("이*");
    expect(maskName("김")).toBe("*");
  });

  it("keeps the last four characters of an identifier", () => {
    expect(maskIdentifier("CH-2020-000123")).toBe("**********0123");
    expect(maskIdentifier("12")).toBe("****12");
  });

  it("passes null through", () => {
    expect(maskPhoneNumber(null)).toBeNull();
    expect(maskName(null)).toBeNull();
    expect(maskIdentifier(null)).toBeNull();
  });
});
