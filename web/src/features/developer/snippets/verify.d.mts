// Types of verify.mjs for the TypeScript that imports it (its test). The snippet itself stays plain
// JavaScript, since that is what the /developer page shows.

/** How far a signature's timestamp may be from now, in seconds. */
export const TOLERANCE_SECONDS: number

/** Minimal shapes of node:http's request and response that handleWebhook uses. */
export interface WebhookRequest extends AsyncIterable<Uint8Array> {
  headers: Record<string, string | string[] | undefined>
}
export interface WebhookResponse {
  writeHead(status: number): { end(body?: string): unknown }
}

/** Whether header signs rawBody with secret, at now (milliseconds; default Date.now()). */
export function verifySignature(header: string | undefined, rawBody: Uint8Array | string, secret: string, now?: number): boolean

/** Verifies one delivery, passes its event to onEvent and answers 204 (400 when refused, 500 when onEvent throws). */
export function handleWebhook(
  req: WebhookRequest,
  res: WebhookResponse,
  secret: string,
  onEvent: (event: { id: string; type: string; created_at: string; organization_id: string; data: unknown }) => Promise<void> | void,
): Promise<void>
