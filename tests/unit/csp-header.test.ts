// frame-ancestors only works as a response header (a <meta> policy ignores it): serve mode must send it, and the
// app page's own <meta> must leave it out, repeating the rest of the header's policy.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken, TOKEN_COOKIE } from '../../electron/api/transport/auth.ts';
import { startHttpServer } from '../../electron/api/transport/http-server.ts';
import { apiFixture } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-csp-header-');
// The real page, as the renderer build copies its <head>.
writeFileSync(join(f.dir, 'index.html'), readFileSync(new URL('../../renderer/index.html', import.meta.url)));
const token = createToken();
const server = await startHttpServer({ dispatch: f.dispatch, events: f.service.events, media: f.service.media, token, rendererDir: f.dir });
afterAll(() => server.close());

const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(' ')]));

describe('the content security policy in serve mode', () => {
  it("sends frame-ancestors 'none' as a header, and the page's <meta> repeats the rest without it", async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { Cookie: `${TOKEN_COOKIE}=${token}` } });
    expect(response.status).toBe(200);
    const header = response.headers.get('content-security-policy') ?? '';
    expect(directives(header).get('frame-ancestors')).toBe("'none'");

    const html = await response.text();
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(directives(meta).has('frame-ancestors')).toBe(false);
    const fromHeader = directives(header);
    fromHeader.delete('frame-ancestors');
    expect(directives(meta)).toEqual(fromHeader);
  });
});
