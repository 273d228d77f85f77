import { describe, expect, it } from 'vitest';
import { UnwritableError, type AnnotationDocument } from '../../electron/interop/document.ts';
import { readEaf, writeEaf } from '../../electron/interop/eaf.ts';
import { readLabelStudio, writeLabelStudio } from '../../electron/interop/labelstudio.ts';
import { EAF, thrown } from '../helpers/interop-fixtures.ts';

describe('ELAN .eaf', () => {
  it('reads time-aligned tiers from milliseconds, names the audio, and leaves out symbolic tiers', () => {
    expect(readEaf(EAF, 'i.eaf')).toEqual({
      media: './interview.wav',
      tiers: [
        {
          kind: 'interval',
          name: 'emotion A',
          intervals: [
            { start: 0.12, end: 1.735, label: 'happy' },
            { start: 2.001, end: 3.999, label: 'angry & loud' },
          ],
        },
        { kind: 'interval', name: 'empty', intervals: [] },
      ],
    });
  });

  it('takes MEDIA_URL where there is no relative URL', () => {
    expect(readEaf(EAF.replace(' RELATIVE_MEDIA_URL="./interview.wav"', ''), 'i.eaf').media).toBe('file:///home/ana/corpus/interview.wav');
  });

  it('writes slots in time order and reads back times to the millisecond and labels exactly', () => {
    const doc: AnnotationDocument = {
      media: '/data/a b.wav',
      tiers: [
        { kind: 'interval', name: 'x<"1">', intervals: [{ start: 2.5, end: 3.0015, label: "<it's> & \"so\"" }, { start: 0.001, end: 1, label: 'calm' }] },
        { kind: 'interval', name: 'y', intervals: [{ start: 0.5, end: 0.75, label: 'sad' }] },
      ],
    };
    const text = writeEaf(doc, { date: new Date('2024-01-02T03:04:05Z') });
    expect(text).toContain('<MEDIA_DESCRIPTOR MEDIA_URL="file:///data/a%20b.wav" MIME_TYPE="audio/x-wav"/>');
    expect([...text.matchAll(/TIME_SLOT_ID="(ts\d+)" TIME_VALUE="(\d+)"/g)].map((m) => `${m[1]}=${m[2]}`)).toEqual([
      'ts1=1',
      'ts2=500',
      'ts3=750',
      'ts4=1000',
      'ts5=2500',
      'ts6=3002',
    ]);
    expect(readEaf(text, 'w.eaf')).toEqual({
      media: 'file:///data/a%20b.wav',
      tiers: [
        { kind: 'interval', name: 'x<"1">', intervals: [{ start: 0.001, end: 1, label: 'calm' }, { start: 2.5, end: 3.002, label: "<it's> & \"so\"" }] },
        { kind: 'interval', name: 'y', intervals: [{ start: 0.5, end: 0.75, label: 'sad' }] },
      ],
    });
  });

  it('refuses point tiers, which ELAN has not', () => {
    expect(() => writeEaf({ tiers: [{ kind: 'point', name: 'p', points: [] }] })).toThrow(UnwritableError);
  });

  it('names the line of broken XML and of annotations that do not fit the schema', () => {
    expect(thrown(() => readEaf(EAF.replace('</ALIGNABLE_ANNOTATION>', '</ANNOTATION>'), 'b.eaf')).message).toBe(
      'b.eaf: line 18: </ANNOTATION> closes <ALIGNABLE_ANNOTATION> (line 16)',
    );
    expect(thrown(() => readEaf(EAF.replace('TIME_SLOT_REF2="ts4"', 'TIME_SLOT_REF2="ts9"'), 'b.eaf')).message).toBe(
      'b.eaf: line 22: TIME_SLOT_REF2 "ts9" names no TIME_SLOT',
    );
    expect(thrown(() => readEaf(EAF.replace(' TIME_VALUE="3999"', ''), 'b.eaf')).reason).toBe(
      'time slot ts4 of tier "emotion A" has no TIME_VALUE (unaligned)',
    );
    expect(thrown(() => readEaf(EAF.replace('angry &amp; loud', 'angry & loud'), 'b.eaf')).where).toBe('line 23');
    expect(thrown(() => readEaf(EAF.replace('</ANNOTATION_DOCUMENT>', ''), 'b.eaf')).reason).toBe('<ANNOTATION_DOCUMENT> (line 2) is not closed');
    expect(thrown(() => readEaf('<?xml version="1.0"?>\n<TextGrid/>\n', 'b.eaf')).message).toBe(
      'b.eaf: line 2: root element is <TextGrid>, not <ANNOTATION_DOCUMENT>',
    );
  });
});

// Label Studio's "JSON" export of an audio project with a <Labels name="emotion" toName="audio">
// control: two annotators on task 7, a cancelled annotation, and a transcription result beside the labels.
const EXPORT = JSON.stringify([
  {
    id: 7,
    annotations: [
      {
        id: 21,
        completed_by: 1,
        result: [
          {
            original_length: 4.2,
            value: { start: 0.512, end: 1.7345, channel: 0, labels: ['happy'] },
            id: 'wavesurfer_4k2m1',
            from_name: 'emotion',
            to_name: 'audio',
            type: 'labels',
            origin: 'manual',
          },
          {
            original_length: 4.2,
            value: { start: 0.512, end: 1.7345, channel: 0, text: ['yes'] },
            id: 'wavesurfer_4k2m1',
            from_name: 'transcription',
            to_name: 'audio',
            type: 'textarea',
            origin: 'manual',
          },
        ],
        was_cancelled: false,
        ground_truth: false,
        created_at: '2024-03-05T09:00:00.000000Z',
        lead_time: 31.2,
        task: 7,
        project: 2,
      },
      {
        id: 22,
        completed_by: 3,
        result: [
          { value: { start: 2, end: 4.1, channel: 0, labels: ['sad', 'calm'] }, id: 'q', from_name: 'emotion', to_name: 'audio', type: 'labels' },
        ],
        was_cancelled: false,
      },
      { id: 23, completed_by: 4, result: [], was_cancelled: true },
    ],
    file_upload: '4f1a2b3c-interview.wav',
    drafts: [],
    predictions: [],
    data: { audio: '/data/upload/2/4f1a2b3c-interview.wav' },
    meta: {},
    project: 2,
  },
  { id: 8, annotations: [], data: { audio: '/data/upload/2/9e8d-second.wav' }, predictions: [] },
], null, 2);

describe('Label Studio JSON', () => {
  it('reads one document per task, a tier per labelling control and annotator, leaving out other result types', () => {
    expect(readLabelStudio(EXPORT, 'ls.json')).toEqual([
      {
        media: '/data/upload/2/4f1a2b3c-interview.wav',
        tiers: [
          { kind: 'interval', name: 'emotion (1)', intervals: [{ start: 0.512, end: 1.7345, label: 'happy' }] },
          { kind: 'interval', name: 'emotion (3)', intervals: [{ start: 2, end: 4.1, label: 'sad' }, { start: 2, end: 4.1, label: 'calm' }] },
        ],
      },
      { media: '/data/upload/2/9e8d-second.wav', tiers: [] },
    ]);
  });

  it('writes tasks that read back with the same times and labels', () => {
    const doc: AnnotationDocument = {
      media: '/data/a.wav',
      tiers: [
        { kind: 'interval', name: 'emotion', intervals: [{ start: 0.001, end: 1.2345, label: 'Überraschung ' }] },
        { kind: 'interval', name: 'arousal', intervals: [{ start: 0, end: 2, label: '4' }] },
      ],
    };
    const text = writeLabelStudio([doc]);
    expect(JSON.parse(text)[0].annotations[0].result[0]).toEqual({
      id: 'r1',
      from_name: 'emotion',
      to_name: 'audio',
      type: 'labels',
      origin: 'manual',
      value: { start: 0.001, end: 1.2345, channel: 0, labels: ['Überraschung '] },
    });
    expect(readLabelStudio(text, 'w.json')).toEqual([doc]);
    expect(() => writeLabelStudio([{ tiers: [{ kind: 'point', name: 'p', points: [] }] }])).toThrow(UnwritableError);
  });

  it('names the line of a JSON syntax error and the task and result of a malformed region', () => {
    expect(thrown(() => readLabelStudio(EXPORT.replace('"was_cancelled": true', '"was_cancelled": tru'), 'b.json')).where).toBe(
      `line ${EXPORT.split('\n').findIndex((l) => l.includes('"was_cancelled": true')) + 1}`,
    );
    expect(thrown(() => readLabelStudio(EXPORT.replace('"end": 4.1', '"end": "4.1"'), 'b.json')).message).toBe(
      'b.json: task 1 (id 7), annotation 2, result 1: value.start and value.end must be numbers of seconds, start <= end',
    );
    expect(thrown(() => readLabelStudio('{"id": 1}', 'b.json')).message).toBe('b.json: top level: a Label Studio JSON export is an array of tasks');
  });
});
