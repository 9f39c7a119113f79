import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where `npm run build:desk` writes the handover desk: dist/desk, reached
 * from this file compiled (dist/http) and from its source (src/http, as the
 * tests run it) alike.
 */
const DESK_DIR = join(__dirname, '..', '..', 'dist', 'desk');

/**
 * The desk's own policy, in place of the API's `default-src 'none'`: its
 * script and style from this origin only (no inline code, no CDN), calls to
 * this origin only, and no form ever submitted by the browser itself (the
 * API key must never end up in a URL).
 */
const DESK_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The built files, by the path they are served at. */
const FILES = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/desk/main.js', 'main.js', 'text/javascript; charset=utf-8'],
  ['/desk/desk.css', 'desk.css', 'text/css; charset=utf-8'],
] as const;

/**
 * Serves the handover desk at `/`, public like /docs (the page holds no
 * data; every call it makes carries the key its user typed). Read on each
 * request, so a rebuild shows at once and a service started without a build
 * says so instead of failing to start.
 */
export function serveDesk(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  for (const [path, file, type] of FILES) {
    fastify.get(path, async (_request, reply) => {
      const content = await readFile(join(DESK_DIR, file)).catch(() => undefined);
      if (!content) return reply.code(503).type('text/plain; charset=utf-8').send('The desk is not built: run npm run build.');
      return reply.header('content-security-policy', DESK_POLICY).type(type).send(content);
    });
  }
}
