/**
 * Secret redaction applied to every error message, log line and CLI output.
 *
 * Covers bearer tokens, JWT-shaped strings, SAS signatures (`sig=`), account keys and
 * passwords in JSON or query strings.
 */
const patterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted-jwt]"],
  [/([?&;]sig=)[^&\s"'<>]+/gi, "$1[redacted]"],
  [/((?:"|')?(?:accountKey|sasKey|password|access_token|refresh_token|client_secret|AccountKey|SharedAccessSignature)(?:"|')?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;,&}]+)/gi, "$1\"[redacted]\""],
];

/** Returns `text` with every secret-looking part replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
