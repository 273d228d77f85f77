/**
 * ELAN annotation documents (.eaf) after the EAF 3.0 schema: TIME_ORDER holds TIME_SLOTs in
 * milliseconds, each TIER's ALIGNABLE_ANNOTATIONs span two slots, and the HEADER's
 * MEDIA_DESCRIPTOR names the audio. Tiers of REF_ANNOTATIONs (symbolic associations, which have
 * no times of their own) are left out. ELAN has no point annotations, so point tiers are not
 * written.
 */
import { pathToFileURL } from 'node:url';
import { extname, isAbsolute } from 'node:path';
import { InteropError, UnwritableError, type AnnotationDocument, type Interval, type Tier } from './document.ts';
import { escapeXml, parseXml, type XmlElement } from './xml.ts';

const children = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

export function readEaf(text: string, file: string): AnnotationDocument {
  const root = parseXml(text, file);
  const fail = (e: XmlElement, reason: string): never => {
    throw new InteropError(file, `line ${e.line}`, reason);
  };
  const required = (e: XmlElement, attribute: string): string => e.attributes.get(attribute) ?? fail(e, `<${e.name}> has no ${attribute}`);
  if (root.name !== 'ANNOTATION_DOCUMENT') fail(root, `root element is <${root.name}>, not <ANNOTATION_DOCUMENT>`);
  const header = children(root, 'HEADER')[0] ?? fail(root, 'no <HEADER>');
  const units = header.attributes.get('TIME_UNITS') ?? 'milliseconds';
  if (units !== 'milliseconds') fail(header, `TIME_UNITS "${units}" is not "milliseconds"`);
  const descriptor = children(header, 'MEDIA_DESCRIPTOR')[0];
  const media = descriptor && (descriptor.attributes.get('RELATIVE_MEDIA_URL') || descriptor.attributes.get('MEDIA_URL'));

  const slots = new Map<string, number | undefined>();
  for (const order of children(root, 'TIME_ORDER')) {
    for (const slot of children(order, 'TIME_SLOT')) {
      const id = required(slot, 'TIME_SLOT_ID');
      const value = slot.attributes.get('TIME_VALUE');
      if (value !== undefined && !/^\d+$/.test(value)) fail(slot, `TIME_VALUE "${value}" of ${id} is not a whole number of milliseconds`);
      if (slots.has(id)) fail(slot, `time slot ${id} is defined twice`);
      slots.set(id, value === undefined ? undefined : Number(value) / 1000);
    }
  }
  const slotTime = (annotation: XmlElement, attribute: string, tier: string): number => {
    const id = required(annotation, attribute);
    if (!slots.has(id)) fail(annotation, `${attribute} "${id}" names no TIME_SLOT`);
    const time = slots.get(id);
    // Unaligned slots (inside time subdivisions) take their times from ELAN's interpolation, which this reader does not guess.
    return time ?? fail(annotation, `time slot ${id} of tier "${tier}" has no TIME_VALUE (unaligned)`);
  };

  const tiers: Tier[] = [];
  for (const tier of children(root, 'TIER')) {
    const name = required(tier, 'TIER_ID');
    const annotations = children(tier, 'ANNOTATION').map((a) => a.children[0] ?? fail(a, '<ANNOTATION> is empty'));
    if (annotations.some((a) => a.name === 'REF_ANNOTATION')) continue;
    const intervals: Interval[] = annotations.map((a) => {
      if (a.name !== 'ALIGNABLE_ANNOTATION') fail(a, `<${a.name}> is neither ALIGNABLE_ANNOTATION nor REF_ANNOTATION`);
      const start = slotTime(a, 'TIME_SLOT_REF1', name);
      const end = slotTime(a, 'TIME_SLOT_REF2', name);
      if (end < start) fail(a, `annotation ends (${end} s) before it starts (${start} s)`);
      const value = children(a, 'ANNOTATION_VALUE')[0] ?? fail(a, 'annotation has no <ANNOTATION_VALUE>');
      return { start, end, label: value.text };
    });
    tiers.push({ kind: 'interval', name, intervals });
  }
  return { tiers, media: media || undefined };
}

const MIME: Record<string, string> = { '.wav': 'audio/x-wav', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.flac': 'audio/flac' };
/** ELAN's own linguistic type and the four stereotype constraints it writes into every new document. */
const TRAILER = `    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
    <CONSTRAINT DESCRIPTION="Time subdivision of parent annotation's time interval, no time gaps allowed within this interval" STEREOTYPE="Time_Subdivision"/>
    <CONSTRAINT DESCRIPTION="Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered" STEREOTYPE="Symbolic_Subdivision"/>
    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>
    <CONSTRAINT DESCRIPTION="Time alignable annotations within the parent annotation's time interval, gaps are allowed" STEREOTYPE="Included_In"/>
`;

/** `media` is written as MEDIA_URL: a file URL for an absolute path, as ELAN writes it. */
export function writeEaf(doc: AnnotationDocument, options: { date?: Date } = {}): string {
  const slots: { id: string; ms: number }[] = [];
  let annotationId = 0;
  const tiers = doc.tiers.map((tier) => {
    if (tier.kind === 'point') throw new UnwritableError(`ELAN has no point annotations (tier "${tier.name}")`);
    const annotations = [...tier.intervals]
      .sort((a, b) => a.start - b.start)
      .map((interval) => {
        const [ref1, ref2] = [interval.start, interval.end].map((t) => {
          const slot = { id: '', ms: Math.round(t * 1000) };
          slots.push(slot);
          return slot;
        });
        return { id: `a${++annotationId}`, ref1, ref2, label: interval.label };
      });
    return { name: tier.name, annotations };
  });
  // TIME_ORDER lists slots in time order; ids follow that order, as ELAN numbers them.
  slots.sort((a, b) => a.ms - b.ms).forEach((slot, n) => (slot.id = `ts${n + 1}`));

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ANNOTATION_DOCUMENT AUTHOR="" DATE="${(options.date ?? new Date()).toISOString()}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
    '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">',
  ];
  if (doc.media) {
    const url = isAbsolute(doc.media) ? pathToFileURL(doc.media).href : doc.media;
    const mime = MIME[extname(doc.media).toLowerCase()] ?? 'unknown';
    out.push(`        <MEDIA_DESCRIPTOR MEDIA_URL="${escapeXml(url)}" MIME_TYPE="${mime}"/>`);
  }
  out.push(`        <PROPERTY NAME="lastUsedAnnotationId">${annotationId}</PROPERTY>`, '    </HEADER>', '    <TIME_ORDER>');
  for (const slot of slots) out.push(`        <TIME_SLOT TIME_SLOT_ID="${slot.id}" TIME_VALUE="${slot.ms}"/>`);
  out.push('    </TIME_ORDER>');
  for (const tier of tiers) {
    out.push(`    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="${escapeXml(tier.name)}">`);
    for (const a of tier.annotations) {
      out.push(
        '        <ANNOTATION>',
        `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="${a.id}" TIME_SLOT_REF1="${a.ref1.id}" TIME_SLOT_REF2="${a.ref2.id}">`,
        `                <ANNOTATION_VALUE>${escapeXml(a.label)}</ANNOTATION_VALUE>`,
        '            </ALIGNABLE_ANNOTATION>',
        '        </ANNOTATION>',
      );
    }
    out.push('    </TIER>');
  }
  return `${out.join('\n')}\n${TRAILER}</ANNOTATION_DOCUMENT>\n`;
}
