/**
 * Label Studio's JSON export of an audio project: an array of tasks, each naming its audio in
 * `data` and holding annotations whose `result` regions of type "labels" carry `value.start` and
 * `value.end` in seconds and `value.labels`. The labelling control (`from_name`) is the tier.
 * Each task is one recording, so one file reads into one document per task. Results of other
 * types (transcriptions, choices) and cancelled annotations are left out; a task annotated by
 * several people gets one tier per annotation, named with its annotator.
 */
import { InteropError, lineAt, UnwritableError, type AnnotationDocument, type Interval, type Tier } from './document.ts';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where JSON.parse gave up: Node 20's messages do not always say, so the text is walked by the
 * JSON grammar up to the first character that cannot continue it.
 */
// JSON strings may not hold raw control characters: matching them is the point.
// eslint-disable-next-line no-control-regex
const JSON_STRING = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;

function syntaxErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (/[ \t\r\n]/.test(text[i] ?? '')) i++;
  };
  const literal = (re: RegExp) => {
    const m = re.exec(text.slice(i));
    if (!m) throw i;
    i += m[0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') throw i;
          literal(JSON_STRING);
          space();
          if (text[i] !== ':') throw i;
          i++;
        }
        value();
        space();
        if (text[i] === close) return void i++;
        if (text[i] !== ',') throw i;
        i++;
      }
    }
    if (c === '"') return literal(JSON_STRING);
    literal(/^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![A-Za-z0-9_])/);
  };
  try {
    value();
    space();
    return i;
  } catch (offset) {
    return offset as number;
  }
}

function parseJson(text: string, file: string): Json {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InteropError(file, `line ${lineAt(text, syntaxErrorOffset(text))}`, `not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

export function readLabelStudio(text: string, file: string): AnnotationDocument[] {
  const tasks = parseJson(text, file);
  if (!Array.isArray(tasks)) throw new InteropError(file, 'top level', 'a Label Studio JSON export is an array of tasks');
  return tasks.map((task: Json, t) => {
    const where = (path: string) => `task ${t + 1}${isObject(task) && task.id !== undefined ? ` (id ${String(task.id)})` : ''}${path}`;
    const fail = (path: string, reason: string): never => {
      throw new InteropError(file, where(path), reason);
    };
    if (!isObject(task)) return fail('', 'a task must be an object');
    const data = isObject(task.data) ? task.data : fail('', 'task has no "data" object naming its audio');
    // The audio is under the data key the labelling config names (usually "audio"); the first string otherwise.
    const media = typeof data.audio === 'string' ? data.audio : Object.values(data).find((v) => typeof v === 'string');
    const annotations = (Array.isArray(task.annotations) ? task.annotations : fail('', 'task has no "annotations" array')).filter(
      (a: Json) => !(isObject(a) && a.was_cancelled === true),
    );
    const tiers = new Map<string, Tier & { kind: 'interval' }>();
    annotations.forEach((annotation: Json, a) => {
      const at = `, annotation ${a + 1}`;
      if (!isObject(annotation) || !Array.isArray(annotation.result)) return fail(at, 'an annotation must be an object with a "result" array');
      const by = isObject(annotation.completed_by) ? annotation.completed_by.email ?? annotation.completed_by.id : annotation.completed_by;
      const suffix = annotations.length > 1 ? ` (${by === undefined ? `annotation ${a + 1}` : String(by)})` : '';
      annotation.result.forEach((region: Json, r) => {
        const path = `${at}, result ${r + 1}`;
        if (!isObject(region)) return fail(path, 'a result must be an object');
        if (region.type !== 'labels') return;
        const value = isObject(region.value) ? region.value : fail(path, 'result has no "value" object');
        const { start, end, labels } = value;
        if (typeof start !== 'number' || typeof end !== 'number' || !(end >= start)) {
          return fail(path, 'value.start and value.end must be numbers of seconds, start <= end');
        }
        if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string')) {
          return fail(path, 'value.labels must be a non-empty array of strings');
        }
        if (typeof region.from_name !== 'string') return fail(path, 'result has no "from_name" naming its labelling control');
        const name = region.from_name + suffix;
        const tier = tiers.get(name) ?? { kind: 'interval', name, intervals: [] };
        tiers.set(name, tier);
        // Several labels chosen for one region: one interval each, over the same span.
        for (const label of labels as string[]) tier.intervals.push({ start, end, label });
      });
    });
    for (const tier of tiers.values()) tier.intervals.sort((x, y) => x.start - y.start);
    return { tiers: [...tiers.values()], media: typeof media === 'string' ? media : undefined };
  });
}

/**
 * A file of tasks, one per document, each with one annotation; `audio` (the data key) and `toName`
 * (the Audio tag) follow the labelling config of Label Studio's audio-classification templates.
 */
export function writeLabelStudio(docs: readonly AnnotationDocument[], options: { toName?: string } = {}): string {
  let regionId = 0;
  const tasks = docs.map((doc, t) => {
    const result = doc.tiers.flatMap((tier) => {
      if (tier.kind === 'point') throw new UnwritableError(`Label Studio's audio regions have no points (tier "${tier.name}")`);
      return tier.intervals.map((interval: Interval) => ({
        id: `r${++regionId}`,
        from_name: tier.name,
        to_name: options.toName ?? 'audio',
        type: 'labels',
        origin: 'manual',
        value: { start: interval.start, end: interval.end, channel: 0, labels: [interval.label] },
      }));
    });
    return { id: t + 1, data: { audio: doc.media ?? '' }, annotations: [{ id: t + 1, result, was_cancelled: false }], predictions: [] };
  });
  return `${JSON.stringify(tasks, null, 2)}\n`;
}
