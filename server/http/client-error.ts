import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type ProblemCode, problem } from '../errors';

/** Node's parser and timer errors, as the problem the client gets. Anything else is a 400. */
const CODES: Record<string, ProblemCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
  HPE_HEADER_OVERFLOW: 'request_header_fields_too_large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'payload_too_large',
};

/**
 * The `clientError` handler of the HTTP server: a request Node could not read (headers over its
 * 16 KB limit, a request not received within REQUEST_TIMEOUT, bytes that are not HTTP) is answered
 * before it reaches the app. Node's own answer is a bare status line with no body, where CONTRACT
 * says every 4xx is an `application/problem+json` document; this writes that document instead,
 * with the status Node would have used, and closes the connection as Node does. Nothing is written
 * when a response on this connection has already begun (it would corrupt it) or the peer is gone.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const p = problem(CODES[err.code ?? ''] ?? 'bad_request');
  const body = JSON.stringify(p);
  socket.end(
    [
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}`,
      'content-type: application/problem+json',
      `content-length: ${Buffer.byteLength(body)}`,
      'x-content-type-options: nosniff',
      "content-security-policy: default-src 'none'; frame-ancestors 'none'",
      'x-frame-options: DENY',
      'connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}
