/** The library list's order: sorting by each column both ways (unknowns last), and grouping by folder. */
import { describe, expect, it } from 'vitest';
import type { RecordingSummary } from '../../electron/api/transport/contract.ts';
import { folderHeading, folderOf, orderRecordings, sortRecordings } from '../../renderer/src/lib/recording-order.ts';

function recording(id: number, path: string, durationSec: number | null, latest: [string, number] | null): RecordingSummary {
  return {
    id,
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    format: 'wav',
    durationSec,
    sampleRate: 22_050,
    channels: 1,
    latest: latest && { label: latest[0], confidence: latest[1], modelName: 'm', at: '2026-01-01T00:00:00Z' },
    annotationCount: 0,
    available: true,
  } as RecordingSummary;
}

const LIST = [
  recording(1, '/lib/b/clip10.wav', 2, ['sad', 0.4]),
  recording(2, '/lib/a/clip9.wav', null, null),
  recording(3, '/lib/a/Clip2.wav', 5, ['angry', 0.9]),
  recording(4, '/lib/b/clip1.wav', 1, ['sad', 0.7]),
];
const ids = (list: RecordingSummary[]) => list.map((r) => r.id);

describe('sortRecordings', () => {
  it('sorts by path in the store order, by name with numbers read as numbers and case ignored', () => {
    expect(ids(sortRecordings(LIST, 'path', false))).toEqual([3, 2, 4, 1]);
    expect(ids(sortRecordings(LIST, 'name', false))).toEqual([4, 3, 2, 1]);
    expect(ids(sortRecordings(LIST, 'name', true))).toEqual([1, 2, 3, 4]);
  });

  it('puts unknown durations and unclassified recordings last in either direction', () => {
    expect(ids(sortRecordings(LIST, 'duration', false))).toEqual([4, 1, 3, 2]);
    expect(ids(sortRecordings(LIST, 'duration', true))).toEqual([3, 1, 4, 2]);
    expect(ids(sortRecordings(LIST, 'confidence', true))).toEqual([3, 4, 1, 2]);
    // Equal labels fall back on the path.
    expect(ids(sortRecordings(LIST, 'label', false))).toEqual([3, 4, 1, 2]);
    expect(ids(sortRecordings(LIST, 'label', true))).toEqual([4, 1, 3, 2]);
  });

  it('leaves its input alone', () => {
    const before = ids(LIST);
    sortRecordings(LIST, 'name', true);
    expect(ids(LIST)).toEqual(before);
  });
});

describe('grouping by folder', () => {
  it('finds a file\'s folder with either separator', () => {
    expect(folderOf('/lib/a/x.wav')).toBe('/lib/a');
    expect(folderOf('C:\\lib\\a\\x.wav')).toBe('C:\\lib\\a');
  });

  it('names a folder from the deepest library folder holding it, else in full', () => {
    expect(folderHeading('/home/me/lib/a', ['/home/me/lib', '/home/me'])).toBe('lib/a');
    expect(folderHeading('/home/me/lib', ['/home/me/lib'])).toBe('lib');
    expect(folderHeading('C:\\data\\set\\x', ['C:\\data\\set'])).toBe('set/x');
    expect(folderHeading('/other/place', ['/home/me/lib'])).toBe('/other/place');
    // A sibling whose name starts the same is not inside.
    expect(folderHeading('/home/me/library2', ['/home/me/lib'])).toBe('/home/me/library2');
  });

  it('groups in folder order, each group in the sort order; ungrouped is one group without a heading', () => {
    const grouped = orderRecordings(LIST, { key: 'duration', descending: true, groupByFolder: true }, ['/lib']);
    expect(grouped.map((g) => [g.heading, ids(g.recordings)])).toEqual([
      ['lib/a', [3, 2]],
      ['lib/b', [1, 4]],
    ]);
    const flat = orderRecordings(LIST, { key: 'duration', descending: true, groupByFolder: false }, ['/lib']);
    expect(flat).toEqual([{ folder: '', heading: '', recordings: sortRecordings(LIST, 'duration', true) }]);
  });
});
