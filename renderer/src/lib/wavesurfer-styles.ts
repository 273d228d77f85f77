/**
 * wavesurfer.js puts its layout rules in a <style> element inside its shadow root, which our strict CSP
 * (style-src 'self', no 'unsafe-inline') refuses to apply. The element and its text are still there, so we
 * hand the same rules to the shadow root as a constructed stylesheet, which CSP does not govern: the page
 * keeps refusing injected inline styles while wavesurfer gets its own.
 */
export function adoptShadowStyles(insideShadow: Element): void {
  const root = insideShadow.getRootNode();
  if (!(root instanceof ShadowRoot)) return;
  const css = [...root.querySelectorAll('style')].map((style) => style.textContent ?? '').join('\n');
  if (!css) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
