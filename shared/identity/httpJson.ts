import { Agent, request } from 'undici';
import type { Deadline } from '../invoke/deadline.ts';

/** A plain (non-mTLS) dispatcher for the identity provider, shared across warm invocations. */
let idpAgent: Agent | undefined;

export interface JsonResponse {
  status: number;
  json: unknown;
  /** The raw body (at most 64 KiB), for error details. */
  text: string;
}

const MAX_IDP_BODY = 64 * 1024;

/**
 * One request to the identity provider with the deadline as its timeout and a bounded body.
 * Throws undici's errors (by `code`) for the caller to classify.
 */
export async function requestJson(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  deadline: Deadline,
): Promise<JsonResponse> {
  idpAgent ??= new Agent({ keepAliveTimeout: 10_000, connections: 4 });
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', ...init.headers },
    body: init.body,
    dispatcher: idpAgent,
    signal: deadline.signal(),
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_IDP_BODY) {
      response.body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, json, text };
}
