// The main window's security policy, kept free of any 'electron' import so unit tests can check it
// without starting Electron. main.ts passes these objects straight to Electron's APIs; the types below
// are the structural subset of Electron's own types that we set, so a mismatch fails typechecking there.

/**
 * Served as a header (serve mode) and repeated, less frame-ancestors, in renderer/index.html's <meta>
 * (META_CONTENT_SECURITY_POLICY), because file:// pages (Electron) get no response headers. Scripts come only from the app itself. Inline styles
 * are allowed because wavesurfer.js puts a <style> into its shadow DOM; styles cannot run code.
 * ser-media: is Electron's scheme for recordings' audio (serve mode uses 'self').
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: ser-media:",
  "connect-src 'self' ser-media:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Directives a <meta> policy may not carry: browsers ignore them there (and say so in the console); only a header sets them. */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy as renderer/index.html's <meta> repeats it: the header's, less what only a header can set. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !HEADER_ONLY_DIRECTIVES.includes(directive.split(' ')[0]))
  .join('; ');

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  sandbox: true;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
}

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  /** Shown on 'ready-to-show', so the window never flashes blank. */
  show: false;
  webPreferences: SecureWebPreferences;
}

/** Options for the app's single window; `preloadPath` is the compiled CommonJS preload (sandboxed preloads cannot be ESM). */
export function mainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    title: 'SER Studio',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  };
}

/**
 * Whether the renderer may have a permission. Only the microphone is granted (for live recording); a 'media'
 * request that also asks for the camera, or does not say what it wants, is refused.
 */
export function isPermissionAllowed(permission: string, mediaTypes: readonly string[] = []): boolean {
  return permission === 'media' && mediaTypes.length > 0 && mediaTypes.every((type) => type === 'audio');
}

/**
 * Whether `frameUrl` is the app's own page, so IPC from anything else (a navigated-away or injected frame) is refused.
 * Query and fragment are ignored because the page may use them for its own state.
 */
export function isAppPage(frameUrl: string, appPageUrl: string): boolean {
  if (!URL.canParse(frameUrl)) return false;
  const frame = new URL(frameUrl);
  const page = new URL(appPageUrl);
  // file: URLs all share the opaque origin "null", so protocol, host and path together identify the page.
  return frame.protocol === page.protocol && frame.host === page.host && frame.pathname === page.pathname;
}
