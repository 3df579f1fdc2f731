/**
 * JWT-shaped bearer tokens. They are not signed: the emulator only reads the
 * claims (`aud`, `oid`, `exp`) the way Azure front ends do after validation.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/** Claims the emulator puts in and reads from a token. @internal */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  tid: string;
  appid?: string;
  xms_mirid?: string;
}

const b64url = (value: string): string => Buffer.from(value, "utf8").toString("base64url");

/** Builds an unsigned `header.payload.signature` token. @internal */
export function mintToken(claims: Omit<TokenClaims, "iat" | "nbf" | "exp" | "iss" | "sub"> & { lifetimeSeconds?: number }): {
  token: string;
  claims: TokenClaims;
} {
  const now = Math.floor(Date.now() / 1000);
  const { lifetimeSeconds = 3600, ...rest } = claims;
  const full: TokenClaims = {
    ...rest,
    iss: `https://sts.windows.net/${claims.tid}/`,
    sub: claims.oid,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
  };
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "none", kid: "typed-batch-emulator" }));
  return { token: `${header}.${b64url(JSON.stringify(full))}.${b64url("emulator")}`, claims: full };
}

/** Reads the claims of a bearer token; undefined when it is not JWT-shaped. @internal */
export function readToken(token: string): TokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Partial<TokenClaims>;
    if (typeof claims.aud !== "string" || typeof claims.oid !== "string" || typeof claims.exp !== "number") {
      return undefined;
    }
    return claims as TokenClaims;
  } catch {
    return undefined;
  }
}

/** The bearer token of an `Authorization` header value. @internal */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * The audience Entra ID would put in a token for a v2 scope: the scope minus
 * its trailing `/.default`. This is why `https://batch.core.windows.net//.default`
 * (double slash) yields the audience Batch wants, `https://batch.core.windows.net/`.
 * @internal
 */
export function audienceOfScope(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}

/**
 * A `TokenCredential` that hands out emulator tokens for one principal: for a process that talks to an
 * emulator running in another process (the emulator accepts any principal's unsigned token).
 * @example
 * ```ts
 * import { emulatorCredential } from "typed-batch/testing";
 * const credential = emulatorCredential("00000000-0000-4000-8000-000000000001", "72f988bf-0000-4000-8000-00000000e1ec");
 * ```
 */
export function emulatorCredential(principalId: string, tenantId: string): TokenCredential {
  return {
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      const scope = list[0];
      if (scope === undefined || list.length !== 1) {
        throw new Error(`emulator credential: expected exactly one scope, got ${JSON.stringify(list)}`);
      }
      const { token, claims } = mintToken({ aud: audienceOfScope(scope), oid: principalId, tid: tenantId });
      return { token, expiresOnTimestamp: claims.exp * 1000, tokenType: "Bearer" };
    },
  };
}
