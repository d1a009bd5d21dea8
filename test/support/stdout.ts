import { vi } from "vitest";

/** Runs `run` with standard output captured instead of printed, and returns what it wrote there. */
export async function captureStdout(run: () => Promise<void>): Promise<string> {
  const printed: string[] = [];
  const spy = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => {
      printed.push(chunk.toString());
      return true;
    });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return printed.join("");
}
