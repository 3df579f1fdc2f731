/**
 * A throw-away certificate for 127.0.0.1 and localhost, made at start.
 * Clients trust it through CA options; TLS verification stays on.
 */

/** PEM key and certificate. @internal */
export interface TlsMaterial {
  key: string;
  cert: string;
}

/** Generates a self-signed certificate valid for one day (`host`, when given, is added to its names). @internal */
export async function createCertificate(host?: string): Promise<TlsMaterial> {
  const extra =
    host === undefined || host === "127.0.0.1" || host === "localhost"
      ? []
      : /^[\d.]+$/.test(host)
        ? [{ type: 7 as const, ip: host }]
        : [{ type: 2 as const, value: host }];
  const notBeforeDate = new Date(Date.now() - 60_000);
  // Loaded here, not at the top: it costs a few hundred ms to import, and a restarted
  // `typed-batch emulator` reuses its kept certificate without it.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "typed-batch-emulator" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          ...extra,
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
