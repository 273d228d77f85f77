/**
 * A strict reader for the XML that annotation tools write: elements, attributes, text, comments,
 * CDATA, processing instructions and the five predefined and numeric entities. Document types
 * and other entities are refused rather than guessed at. Every element keeps its line, so a
 * format reader's errors name the line as the parse's do.
 */
import { InteropError } from './document.ts';

export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own text (its children's excluded), entities decoded. */
  text: string;
  line: number;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(text: string, file: string): XmlElement {
  let i = 0;
  let line = 1;
  const fail = (reason: string): never => {
    throw new InteropError(file, `line ${line}`, reason);
  };
  const advance = (to: number) => {
    for (; i < to; i++) if (text.charCodeAt(i) === 10) line++;
  };
  const skipPast = (end: string, what: string) => {
    const at = text.indexOf(end, i);
    if (at < 0) fail(`${what} not closed by "${end}"`);
    advance(at + end.length);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) fail(`"&" must start an entity such as &amp; (found "${whole}")`);
      const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? parseInt(ref.slice(1), 10) : NaN;
      if (ENTITIES[ref] !== undefined) return ENTITIES[ref];
      if (Number.isInteger(code) && code >= 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      return fail(`unknown entity "&${ref};"`);
    });
  const skipSpace = () => {
    const m = /^\s*/.exec(text.slice(i, i + 4096))![0];
    advance(i + m.length);
  };
  /** Comments, processing instructions and white space between elements. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', i)) skipPast('-->', 'comment');
      else if (text.startsWith('<?', i)) skipPast('?>', 'processing instruction');
      else if (text.startsWith('<!DOCTYPE', i)) fail('document type declarations are not supported');
      else return;
    }
  };

  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected an element');
    const startLine = line;
    advance(i + 1);
    const name = NAME.exec(text.slice(i, i + 256))?.[0] ?? fail('expected an element name after "<"');
    advance(i + name.length);
    const attributes = new Map<string, string>();
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', i)) {
        advance(i + 2);
        return { name, attributes, children: [], text: '', line: startLine };
      }
      if (text[i] === '>') {
        advance(i + 1);
        break;
      }
      const attribute = NAME.exec(text.slice(i, i + 256))?.[0] ?? fail(`expected an attribute name or ">" in <${name}>`);
      advance(i + attribute.length);
      skipSpace();
      if (text[i] !== '=') fail(`attribute ${attribute} of <${name}> has no "=" and value`);
      advance(i + 1);
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") fail(`value of attribute ${attribute} must be quoted`);
      const end = text.indexOf(q, i + 1);
      if (end < 0) fail(`value of attribute ${attribute} not closed`);
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of attribute ${attribute}`);
      if (attributes.has(attribute)) fail(`attribute ${attribute} given twice in <${name}>`);
      attributes.set(attribute, decode(raw));
      advance(end + 1);
    }
    const children: XmlElement[] = [];
    let own = '';
    for (;;) {
      if (i >= text.length) fail(`<${name}> (line ${startLine}) is not closed`);
      if (text.startsWith('</', i)) {
        advance(i + 2);
        const closing = NAME.exec(text.slice(i, i + 256))?.[0];
        if (closing !== name) fail(`</${closing ?? ''}> closes <${name}> (line ${startLine})`);
        advance(i + name.length);
        skipSpace();
        if (text[i] !== '>') fail(`expected ">" after </${name}`);
        advance(i + 1);
        return { name, attributes, children, text: own, line: startLine };
      }
      if (text.startsWith('<!--', i)) skipPast('-->', 'comment');
      else if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('CDATA section not closed by "]]>"');
        own += text.slice(i + 9, end);
        advance(end + 3);
      } else if (text.startsWith('<?', i)) skipPast('?>', 'processing instruction');
      else if (text[i] === '<') children.push(element());
      else {
        const end = text.indexOf('<', i);
        const stop = end < 0 ? text.length : end;
        own += decode(text.slice(i, stop));
        advance(stop);
      }
    }
  };

  skipMisc();
  if (i >= text.length) fail('no root element');
  const root = element();
  skipMisc();
  if (i < text.length) fail('content after the root element');
  return root;
}

/** Text or an attribute value with the characters XML reserves escaped. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}
