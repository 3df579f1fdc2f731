/**
 * Error bodies in the shapes each Azure plane uses, so SDK clients parse them
 * exactly as they would parse Azure's.
 */
import { randomUUID } from "node:crypto";
import type { ArmErrorCode, BatchErrorCode, StorageErrorCode } from "../azure/index.js";
import type { Res } from "./router.js";

/** ARM error: `{ error: { code, message, target? } }`. @internal */
export function armError(status: number, code: ArmErrorCode, message: string, target?: string): Res {
  return {
    status,
    headers: { "x-ms-failure-cause": "service" },
    body: { error: { code, message, ...(target === undefined ? {} : { target }) } },
  };
}

/** A Batch service error detail (`values[]`). @internal */
export interface BatchErrorValue {
  key: string;
  value: string;
}

/** Batch data-plane OData error. @internal */
export function batchError(
  status: number,
  baseUrl: string,
  code: BatchErrorCode,
  message: string,
  values?: BatchErrorValue[],
): Res {
  const requestId = randomUUID();
  return {
    status,
    headers: {
      "content-type": "application/json;odata=minimalmetadata",
      "request-id": requestId,
    },
    body: {
      "odata.metadata": `${baseUrl}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
      code,
      message: { lang: "en-US", value: `${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}` },
      ...(values === undefined ? {} : { values }),
    },
  };
}

/** Escapes text for XML element content. @internal */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Azure Storage XML error (with `x-ms-error-code`). @internal */
export function storageError(status: number, code: StorageErrorCode, message: string, extra?: Record<string, string>): Res {
  const requestId = randomUUID();
  const more = Object.entries(extra ?? {})
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join("");
  return {
    status,
    headers: { "content-type": "application/xml", "x-ms-error-code": code, "x-ms-request-id": requestId },
    body: Buffer.from(
      `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(
        `${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`,
      )}</Message>${more}</Error>`,
      "utf8",
    ),
  };
}
