import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isAppPage,
  META_CONTENT_SECURITY_POLICY,
  isPermissionAllowed,
  mainWindowOptions,
} from '../../electron/window-options.ts';

describe('mainWindowOptions', () => {
  it('isolates and sandboxes the renderer, with the given preload', () => {
    const { webPreferences } = mainWindowOptions('/app/dist/electron/preload.cjs');
    expect(webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows only the app itself to supply scripts and forbids plugins, <base> and framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it("lets audio come only from the app, blobs and Electron's ser-media: scheme, and allows no inline or eval'd script", () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => [d.trim().split(/\s+/)[0], d.trim().split(/\s+/).slice(1)] as const));
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'ser-media:']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'ser-media:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('is the policy in renderer/index.html, which is what file:// pages actually get', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    // Browsers ignore frame-ancestors in a <meta> (and log an error): it belongs to the header alone.
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ')).toBe(META_CONTENT_SECURITY_POLICY);
  });
});

describe('isPermissionAllowed', () => {
  it('grants the microphone', () => {
    expect(isPermissionAllowed('media', ['audio'])).toBe(true);
  });

  it('refuses the camera, and media requests that do not say what they want', () => {
    expect(isPermissionAllowed('media', ['video'])).toBe(false);
    expect(isPermissionAllowed('media', ['audio', 'video'])).toBe(false);
    expect(isPermissionAllowed('media', ['unknown'])).toBe(false);
    expect(isPermissionAllowed('media')).toBe(false);
  });

  it('refuses every other permission', () => {
    for (const permission of ['geolocation', 'notifications', 'openExternal', 'clipboard-read', 'display-capture']) {
      expect(isPermissionAllowed(permission, ['audio'])).toBe(false);
    }
  });
});

describe('isAppPage', () => {
  const page = 'file:///opt/SER%20Studio/resources/app.asar/renderer/index.html';

  it('accepts the app page, whatever its query or fragment', () => {
    expect(isAppPage(page, page)).toBe(true);
    expect(isAppPage(`${page}?view=batch#results`, page)).toBe(true);
  });

  it('refuses other files, other schemes and frames with no URL', () => {
    expect(isAppPage('file:///opt/SER%20Studio/resources/app.asar/renderer/other.html', page)).toBe(false);
    expect(isAppPage('https://example.org/opt/SER%20Studio/resources/app.asar/renderer/index.html', page)).toBe(false);
    expect(isAppPage('about:blank', page)).toBe(false);
    expect(isAppPage('', page)).toBe(false);
  });
});
