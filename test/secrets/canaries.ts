/** Canary secrets and a scanner: any of them (or a JWT) found in text is a leak. */
export const CANARY = {
  sig: "CANARYSIG4f1e2d3c",
  accountKey: "CANARYACCOUNTKEY9x8y7z==",
  sasKey: "sv=2022-11-02&sig=CANARYSASKEY5a6b",
  password: "CANARYPASSWORD0q1w",
  token: "CANARYBEARER7u8i9o",
} as const;

export const sasUrl = (base: string) => `${base}?sv=2022-11-02&sr=c&sp=rl&sig=${CANARY.sig}`;

/** Every canary (or bearer JWT) in `text`, with a little context. */
export function leaks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/CANARY[A-Z]*[0-9a-z]*|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g)) {
    out.push(text.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 40).replace(/\s+/g, " "));
    if (out.length >= 5) break;
  }
  return out;
}
